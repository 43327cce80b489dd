/**
 * The report's views of the back-test over the history (compare()'s result):
 * the two measured axes per plan with their definitions and limits, who pays
 * more or less than on their current plan (and the top movers), the tier-fit
 * revenue impact, and the margin of each tenant under each plan. Formatting
 * only: every figure comes from compare().
 *
 * @module
 */
import { formatMoney } from "../money/format.ts";
import { monthLabel } from "./month.ts";
import type { ReportCompareHistory, ReportMargin } from "./types.ts";

/** A formatted cell; `trend` colours it (`up` green, `down` red). */
export interface ViewCell {
  text: string;
  num?: boolean;
  trend?: "up" | "down" | "";
  /** Bold: the tenant's current plan. */
  strong?: boolean;
}

/** A titled table with a caption and notes under it. */
export interface ViewTable {
  title: string;
  caption: string;
  header: Array<{ label: string; num?: boolean }>;
  rows: ViewCell[][];
  /** A bold last row (totals), when there is one. */
  total?: ViewCell[];
  notes: string[];
}

/** What the report prints of the history. */
export interface CompareHistoryView {
  /** "November 2025 to October 2026 (12 months, 5 tenants)". */
  range: string;
  /** Predictability and alignment per plan, with revenue and margin over the range. */
  axes: ViewTable;
  /** Per plan: how many tenants pay more, less, the same, and the net change. */
  movers: ViewTable;
  /** The largest changes per plan (at most `topMovers` each). */
  topMovers: ViewTable | null;
  /** The tier-fit revenue impact over the history, or null without tiers. */
  tierFit: ViewTable | null;
}

/** Options of {@linkcode compareHistoryView}. */
export interface CompareHistoryViewOptions {
  currency: string;
  /** Plan id -> display name (default: the id). */
  planNames?: Record<string, string>;
  /** Which tenants the per-tenant tables list (default all). */
  shown?: (tenantId: string) => boolean;
  /** Top movers per plan (default 3). */
  topMovers?: number;
}

/** The limits every reading of the two axes should keep in mind (report and README). */
export const AXIS_LIMITS =
  "Limits: both scores are statistics of this history only. With few months, one unusual month " +
  "moves predictability a lot; with few tenants, one heavy tenant dominates alignment; " +
  "alignment measures linear tracking of compute units only, so tiers with included units and " +
  "plans priced per API call or per EnKF run score lower than they feel to tenants.";

/**
 * Money with its sign: `+$5.00`, `-$5.00`, `$0.00`: a change (plan minus current plan).
 *
 * @example
 * ```ts
 * import { signedMoney } from "./view_compare.ts";
 * signedMoney(500, "USD"); // "+$5.00"
 * ```
 */
export function signedMoney(minor: number, currency: string): string {
  return `${minor > 0 ? "+" : ""}${formatMoney(minor, currency)}`;
}

/**
 * A change as a signed percentage with one decimal, capped at `>+999%`
 * (changes from a near-zero bill say nothing past that); "" when undefined.
 *
 * @example
 * ```ts
 * import { signedPct } from "./view_compare.ts";
 * signedPct(0.55); // "+55.0%"
 * signedPct(1818.832); // ">+999%"
 * ```
 */
export function signedPct(rate: number | null): string {
  if (rate === null) return "";
  // Past +999.9% (a tenant paying $2.20 moved to $4,000) the figure says nothing more.
  if (Math.round(rate * 1000) > 9999) return ">+999%";
  const text = `${rate > 0 ? "+" : ""}${(rate * 100).toFixed(1)}%`;
  return text === "-0.0%" || text === "+0.0%" ? "0.0%" : text;
}

function trendOf(minor: number): "up" | "down" | "" {
  return minor > 0 ? "up" : minor < 0 ? "down" : "";
}

function score(value: number | null, note: string | undefined): string {
  if (value === null) return `n/a${note ? ` (${note})` : ""}`;
  return (Math.abs(value) < 0.005 ? 0 : value).toFixed(2);
}

/**
 * Formats the back-test's per-plan axes, movers and tier-fit impact.
 *
 * @example
 * ```ts ignore
 * import { compareHistoryView } from "./view_compare.ts";
 * const view = compareHistoryView(input.comparison.history, { currency: "USD" });
 * view.axes.rows[0][0].text; // "Flat"
 * ```
 */
export function compareHistoryView(
  history: ReportCompareHistory,
  options: CompareHistoryViewOptions,
): CompareHistoryView {
  const { currency } = options;
  const money = (minor: number) => formatMoney(minor, currency);
  const name = (id: string) => options.planNames?.[id] ?? id;
  const shown = options.shown ?? (() => true);
  const top = options.topMovers ?? 3;
  const range = `${monthLabel(history.from)} to ${
    monthLabel(history.to)
  } (${history.months.length} month${
    history.months.length === 1 ? "" : "s"
  }, ${history.tenants.length} tenant${history.tenants.length === 1 ? "" : "s"})`;

  const axes: ViewTable = {
    title: "Revenue predictability and usage alignment",
    caption: `Measured on ${range}, every tenant billed on each plan. Higher is better on both: ` +
      "predictability means steady revenue for us, alignment means tenants pay as they consume.",
    header: [
      { label: "Plan" },
      { label: "Predictability (seller)", num: true },
      { label: "Alignment (buyer)", num: true },
      { label: "Revenue", num: true },
      { label: "Margin", num: true },
      { label: "Tenants on it now", num: true },
    ],
    rows: history.plans.map((p) => [
      { text: name(p.plan) },
      { text: score(p.predictability.value, p.predictability.note), num: true },
      { text: score(p.alignment.value, p.alignment.note), num: true },
      { text: money(p.revenue_minor), num: true },
      { text: money(p.margin_minor), num: true, trend: p.margin_minor < 0 ? "down" : "" },
      { text: String(p.current_tenants), num: true },
    ]),
    notes: [
      history.definitions.predictability,
      history.definitions.alignment,
      AXIS_LIMITS,
      ...history.notes,
    ],
  };

  const currentTotal = history.tenants.reduce(
    (s, t) => s + (t.current_plan === null ? 0 : t.revenue_minor[t.current_plan]),
    0,
  );
  const movers: ViewTable = {
    title: "Who pays more, who pays less",
    caption: `Each tenant's total over ${range} had everyone moved to the plan, against its ` +
      "current plan (tenants not in the tenants file are left out).",
    header: [
      { label: "Plan" },
      { label: "Pay more", num: true },
      { label: "Pay less", num: true },
      { label: "Unchanged", num: true },
      { label: "Net change", num: true },
      { label: "Net change %", num: true },
    ],
    rows: history.movers.map((m) => [
      { text: name(m.plan) },
      { text: String(m.pays_more.length), num: true },
      { text: String(m.pays_less.length), num: true },
      { text: String(m.unchanged.length), num: true },
      {
        text: signedMoney(m.net_delta_minor, currency),
        num: true,
        trend: trendOf(m.net_delta_minor),
      },
      {
        text: signedPct(currentTotal === 0 ? null : m.net_delta_minor / currentTotal),
        num: true,
        trend: trendOf(m.net_delta_minor),
      },
    ]),
    notes: [
      `On current plans the tenants paid ${money(currentTotal)} in total; a positive change ` +
      "is revenue gained (tenants pay more), a negative one revenue lost.",
    ],
  };

  const topRows: ViewCell[][] = [];
  for (const m of history.movers) {
    for (const t of m.top.slice(0, top)) {
      if (!shown(t.tenant_id)) continue;
      topRows.push([
        { text: name(m.plan) },
        { text: t.tenant_id },
        { text: name(t.current_plan) },
        { text: money(t.current_minor), num: true },
        { text: money(t.plan_minor), num: true },
        { text: signedMoney(t.delta_minor, currency), num: true, trend: trendOf(t.delta_minor) },
        { text: signedPct(t.delta_rate), num: true, trend: trendOf(t.delta_minor) },
      ]);
    }
  }
  const topMovers: ViewTable | null = topRows.length === 0 ? null : {
    title: "Top movers",
    caption: `The ${top} largest changes per plan (by amount) over ${range}.`,
    header: [
      { label: "Moved to" },
      { label: "Tenant" },
      { label: "Current plan" },
      { label: "On current plan", num: true },
      { label: "On the plan", num: true },
      { label: "Change", num: true },
      { label: "Change %", num: true },
    ],
    rows: topRows,
    notes: [],
  };

  let tierFit: ViewTable | null = null;
  const fit = history.tier_fit;
  if (fit) {
    const counted = fit.tenants.length - fit.excluded_tenants;
    tierFit = {
      title: "Tier fit over the history: revenue impact",
      caption:
        `Each tenant's cheapest single tier (${
          fit.tiers.map(name).join(", ")
        }) over ${range}, and what moving it there would do to revenue: the change is best tier ` +
        "minus current plan.",
      header: [
        { label: "Tenant" },
        { label: "Current plan" },
        { label: "On current plan", num: true },
        { label: "Best tier" },
        { label: "On best tier", num: true },
        { label: "Change", num: true },
        { label: "Months cheapest" },
      ],
      rows: fit.tenants.filter((t) => shown(t.tenant_id)).map((t) => [
        { text: t.tenant_id },
        { text: t.current_plan === null ? "(not in tenants file)" : name(t.current_plan) },
        { text: t.current_minor === null ? "n/a" : money(t.current_minor), num: true },
        { text: name(t.best_tier) },
        { text: money(t.best_tier_minor), num: true },
        {
          text: t.change_minor === null ? "n/a" : signedMoney(t.change_minor, currency),
          num: true,
          trend: t.change_minor === null ? "" : trendOf(t.change_minor),
        },
        {
          text: fit.tiers.filter((tier) => t.months_best[tier] > 0)
            .map((tier) => `${name(tier)} ${t.months_best[tier]}`).join(", "),
        },
      ]),
      total: [
        { text: `Total (${counted} tenant${counted === 1 ? "" : "s"})` },
        { text: "" },
        { text: money(fit.revenue_current_minor), num: true },
        { text: "" },
        { text: money(fit.revenue_best_tier_minor), num: true },
        {
          text: signedMoney(fit.impact_minor, currency),
          num: true,
          trend: trendOf(fit.impact_minor),
        },
        { text: "" },
      ],
      notes: [
        `Revenue impact if every tenant moved to its best single tier: ${
          signedMoney(fit.impact_minor, currency)
        } (${money(fit.revenue_current_minor)} on current plans, ${
          money(fit.revenue_best_tier_minor)
        } on best tiers). Switching every month to that month's cheapest tier: ${
          signedMoney(fit.monthly_impact_minor, currency)
        } (${money(fit.revenue_monthly_best_minor)}).`,
        ...(fit.excluded_tenants > 0
          ? [`${fit.excluded_tenants} tenant(s) without a current plan are left out of the totals.`]
          : []),
      ],
    };
  }
  return { range, axes, movers, topMovers, tierFit };
}

/**
 * The margin of each tenant under each plan for the month: one column per
 * plan, the current plan in bold, negative margins in red. Null when the
 * margin carries no per-plan figures.
 *
 * @example
 * ```ts ignore
 * import { marginByPlanView } from "./view_compare.ts";
 * const table = marginByPlanView(input.margin, { month: "2026-10" });
 * ```
 */
export function marginByPlanView(
  margin: ReportMargin,
  options: {
    month: string;
    planNames?: Record<string, string>;
    shown?: (tenantId: string) => boolean;
  },
): ViewTable | null {
  const plans = margin.plans;
  if (!plans || plans.length === 0) return null;
  const shown = options.shown ?? (() => true);
  const money = (minor: number) => formatMoney(minor, margin.currency);
  const rows = margin.rows.filter((r) => r.margin_by_plan && shown(r.tenant_id));
  if (rows.length === 0) return null;
  // Every total is the sum of the rows listed, so that the table adds up as printed.
  const totals = plans.map((p) => rows.reduce((s, r) => s + (r.margin_by_plan![p] ?? 0), 0));
  const unpriced = margin.rows.filter((r) => !r.margin_by_plan);
  const hidden = margin.rows.filter((r) => r.margin_by_plan && !shown(r.tenant_id));
  const unlisted = [...unpriced, ...hidden];
  const notes: string[] = [];
  if (unpriced.length > 0) {
    notes.push(
      `Not listed: ${unpriced.map((r) => r.tenant_id).join(", ")}: no usage up to ${
        monthLabel(options.month)
      }, and the comparison prices a tenant from its first month with usage.`,
    );
  }
  if (hidden.length > 0) {
    notes.push(
      `Not listed: ${hidden.length} smaller tenant${
        hidden.length === 1 ? "" : "s"
      } (compare.csv lists every tenant).`,
    );
  }
  if (unlisted.length > 0) {
    const rest = unlisted.reduce((s, r) => s + r.revenue_minor - r.cost_minor, 0);
    notes.push(
      `The totals add up the ${rows.length} tenant${rows.length === 1 ? "" : "s"} listed; ` +
        `"Margin by tenant" also counts the ${unlisted.length} not listed here, whose margin ` +
        `on their current plans is ${money(rest)}.`,
    );
  }
  return {
    title: "Margin under each plan",
    caption: `What each tenant's ${
      monthLabel(options.month)
    } usage would earn under every plan, after the same cost to serve (bold: its current plan).`,
    header: [
      { label: "Tenant" },
      { label: "Cost to serve", num: true },
      ...plans.map((p) => ({ label: options.planNames?.[p] ?? p, num: true })),
    ],
    rows: rows.map((r) => [
      { text: r.tenant_id },
      { text: money(r.cost_minor), num: true },
      ...plans.map((p) => {
        const v = r.margin_by_plan![p];
        return {
          text: v === undefined ? "n/a" : money(v),
          num: true,
          trend: v !== undefined && v < 0 ? "down" as const : "" as const,
          strong: r.current_plan === p,
        };
      }),
    ]),
    total: [
      { text: unlisted.length > 0 ? `Total (${rows.length} listed)` : "Total" },
      { text: money(rows.reduce((s, r) => s + r.cost_minor, 0)), num: true },
      ...totals.map((t) => ({
        text: money(t),
        num: true,
        trend: t < 0 ? "down" as const : "" as const,
      })),
    ],
    notes,
  };
}
