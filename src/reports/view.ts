/**
 * Turns a {@linkcode ReportInput} into the plain, pre-formatted values the
 * templates print (no arithmetic or formatting in templates).
 *
 * @module
 */
import { Exact } from "../money/decimal.ts";
import { groupDecimalDigits } from "../money/decimal.ts";
import { formatMoney } from "../money/format.ts";
import { dateLabel, monthDates, monthLabel } from "./month.ts";
import { PROVISIONAL_LABEL } from "../invoices/open_month.ts";
import {
  type CompareHistoryView,
  compareHistoryView,
  marginByPlanView,
  type ViewTable,
} from "./view_compare.ts";
import type {
  Issuer,
  ReportChart,
  ReportInput,
  ReportInvoice,
  ReportTenant,
  ReportUsageRow,
} from "./types.ts";

/** The label used for events without a tenant. */
export const NO_TENANT_LABEL = "(no tenant)";

/**
 * A CSS string literal for `content:` (quotes, backslashes and `<` `>`
 * escaped, so it can never end the `<style>` element it sits in).
 *
 * @example
 * ```ts
 * import { cssString } from "./view.ts";
 * cssString('Invoice "A" </style>'); // '"Invoice \\"A\\" \\3c /style\\3e "'
 * ```
 */
export function cssString(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (c === "\\" || c === '"') out += `\\${c}`;
    else if (c === "<" || c === ">" || code < 0x20 || code === 0x7f) {
      out += `\\${code.toString(16)} `;
    } else out += c;
  }
  return `"${out}"`;
}

/** Formats an integer count: "12,345". */
export function formatCount(n: number): string {
  return groupDecimalDigits(String(Math.round(n)));
}

/** Formats an exact decimal with `places` decimals (half away from zero) and grouping. */
export function formatDecimal(value: string, places = 2): string {
  return groupDecimalDigits(new Exact(value).round(places, 1).toFixed(places));
}

/** Sums decimal strings exactly. */
export function sumDecimal(values: Iterable<string>): string {
  let total = new Exact(0);
  for (const v of values) total = total.plus(v);
  return total.toFixed(6);
}

/** "+12.3%" / "-4.0%" / "new" / "" for a change from `before` to `after`. */
export function formatChange(
  before: number | null,
  after: number,
): { change: string; trend: "up" | "down" | "" } {
  if (before === null) return { change: "", trend: "" };
  if (before === 0) {
    return after === 0 ? { change: "0.0%", trend: "" } : { change: "new", trend: "up" };
  }
  const pct = ((after - before) / Math.abs(before)) * 100;
  const text = `${pct >= 0 ? "+" : ""}${pct.toFixed(1)}%`;
  return {
    change: text === "-0.0%" ? "0.0%" : text,
    trend: pct > 0.05 ? "up" : pct < -0.05 ? "down" : "",
  };
}

/** Totals per tenant from usage rows. */
export function tenantTotals(
  rows: readonly ReportUsageRow[],
): Map<string, { events: number; compute_units: string }> {
  const acc = new Map<string, { events: number; cu: InstanceType<typeof Exact> }>();
  for (const r of rows) {
    const key = r.tenant_id ?? NO_TENANT_LABEL;
    const cur = acc.get(key) ?? { events: 0, cu: new Exact(0) };
    cur.events += r.events;
    cur.cu = cur.cu.plus(r.compute_units);
    acc.set(key, cur);
  }
  const out = new Map<string, { events: number; compute_units: string }>();
  for (const key of [...acc.keys()].sort()) {
    const v = acc.get(key)!;
    out.set(key, { events: v.events, compute_units: v.cu.toFixed(6) });
  }
  return out;
}

function tenantName(tenants: Record<string, ReportTenant>, id: string): string {
  return Object.hasOwn(tenants, id)
    ? tenants[id].name
    : id === NO_TENANT_LABEL
    ? "Refused requests"
    : "";
}

function moneyTotals(
  invoices: readonly ReportInvoice[],
): Map<string, { subtotal: number; total: number }> {
  const out = new Map<string, { subtotal: number; total: number }>();
  for (const inv of invoices) {
    const cur = out.get(inv.currency) ?? { subtotal: 0, total: 0 };
    cur.subtotal += inv.subtotal_minor;
    cur.total += inv.total_minor;
    out.set(inv.currency, cur);
  }
  return out;
}

/** One summary card. */
export interface SummaryCard {
  label: string;
  value: string;
  change: string;
  trend: string;
}

/** What templates/report.eta prints. */
export interface ReportView {
  title: string;
  subtitle: string;
  demo: string | null;
  /** Why the figures are provisional (the month has not ended), or null. */
  provisional: string | null;
  css: string;
  warnings: string[];
  summary: SummaryCard[];
  highlights: string[];
  usageByTenant: Array<{
    tenant_id: string;
    name: string;
    events: string;
    compute_units: string;
    share: string;
    change: string;
    trend: string;
  }>;
  usageTotal: { events: string; compute_units: string; change: string };
  usage: Array<{ tenant_id: string; event_type: string; events: string; compute_units: string }>;
  /** The note when tenant tables are cut to the largest tenants, else null. */
  truncated: string | null;
  invoices: {
    rows: Array<{
      number: string;
      href: string;
      tenant_id: string;
      name: string;
      plan: string;
      subtotal: string;
      total: string;
      change: string;
      trend: string;
    }>;
    totals: Array<{ currency: string; subtotal: string; total: string; change: string }>;
    notes: string[];
  } | null;
  compare: {
    caption: string;
    plans: string[];
    rows: Array<
      { tenant_id: string; plan: string; cells: Array<{ amount: string; best: boolean }> }
    >;
    totals: string[] | null;
  } | null;
  /** The back-test over the history: axes per plan, movers, tier-fit impact. */
  history: CompareHistoryView | null;
  tierFit: ReportInput["tierFit"];
  margin: {
    caption: string;
    rows: Array<{
      tenant_id: string;
      revenue: string;
      compute_units: string;
      cost: string;
      margin: string;
      pct: string;
      trend: string;
    }>;
    total: { revenue: string; compute_units: string; cost: string; margin: string; pct: string };
  } | null;
  /** Each tenant's margin under every plan for the month. */
  marginByPlan: ViewTable | null;
  charts: Array<ReportChart & { caption: string }>;
  /** Why charts are missing, one line each. */
  omittedCharts: string[];
  quality: Array<{ label: string; value: string; meaning: string }>;
  qualityNotes: string[];
  footer: string;
  /** The printed page footer's left text, as a CSS string literal (page numbers on the right). */
  pageFooterCss: string;
}

/** Options of {@linkcode reportView}. */
export interface ReportViewOptions {
  /** The CSS inlined in the page. */
  css: string;
  /** Invoice links: tenant id -> relative href (default `invoices/<id>.html`). */
  invoiceHref?: (tenantId: string) => string;
  /**
   * Tenant tables show at most this many tenants (default 60): the largest by
   * compute units, with a note; every tenant stays in the CSV files.
   */
  maxTenants?: number;
}

function pct(part: InstanceType<typeof Exact>, whole: InstanceType<typeof Exact>): string {
  if (whole.eq(0)) return "";
  return `${part.times(100).div(whole).round(1, 1).toFixed(1)}%`;
}

/**
 * Builds the report's view.
 *
 * @example
 * ```ts ignore
 * import { reportView } from "./view.ts";
 * const view = reportView(input, { css: "" });
 * ```
 */
export function reportView(input: ReportInput, options: ReportViewOptions): ReportView {
  const href = options.invoiceHref ?? ((id: string) => `invoices/${id}.html`);
  const label = monthLabel(input.month);
  const now = tenantTotals(input.usage);
  const before = tenantTotals(input.previousUsage);
  const hasPrevious = input.previousUsage.length > 0;
  const totalCu = new Exact(sumDecimal(input.usage.map((r) => r.compute_units)));
  const prevCu = new Exact(sumDecimal(input.previousUsage.map((r) => r.compute_units)));
  const totalEvents = input.usage.reduce((s, r) => s + r.events, 0);
  const prevEvents = input.previousUsage.reduce((s, r) => s + r.events, 0);
  const tenantIds = [...now.keys()].filter((t) => t !== NO_TENANT_LABEL);
  const everyTenant = new Set([
    ...now.keys(),
    ...(input.invoices ?? []).map((i) => i.tenant_id),
    ...(input.comparison?.rows ?? []).map((r) => r.tenant_id),
  ]);
  const maxTenants = options.maxTenants ?? 60;
  let shown: (id: string) => boolean = () => true;
  let truncated: string | null = null;
  if (everyTenant.size > maxTenants) {
    const keep = new Set(
      [...everyTenant].sort((a, b) =>
        new Exact(now.get(b)?.compute_units ?? 0).cmp(now.get(a)?.compute_units ?? 0) ||
        (a < b ? -1 : a > b ? 1 : 0)
      ).slice(0, maxTenants),
    );
    shown = (id) => keep.has(id);
    truncated =
      `Showing the ${maxTenants} largest of ${
        formatCount(everyTenant.size)
      } tenants by compute units; totals cover every tenant, and usage.csv, invoices.csv and ` +
      "compare.csv list them all.";
  }
  const prevTenantIds = [...before.keys()].filter((t) => t !== NO_TENANT_LABEL);

  const summary: SummaryCard[] = [];
  const highlights: string[] = [];
  const invoices = input.invoices;
  if (invoices) {
    const totals = moneyTotals(invoices);
    const prevTotals = input.previousInvoices ? moneyTotals(input.previousInvoices) : null;
    for (const [currency, t] of totals) {
      const prev = prevTotals?.get(currency)?.total ?? null;
      const c = formatChange(prevTotals ? prev ?? 0 : null, t.total);
      summary.push({
        label: totals.size > 1 ? `Revenue (${currency})` : "Revenue",
        value: formatMoney(t.total, currency),
        change: c.change ? `${c.change} on last month` : "",
        trend: c.trend,
      });
    }
  }
  {
    const c = formatChange(
      hasPrevious ? Number(prevCu.toFixed(6)) : null,
      Number(totalCu.toFixed(6)),
    );
    summary.push({
      label: "Compute units",
      value: formatDecimal(totalCu.toFixed(6), 1),
      change: c.change ? `${c.change} on last month` : "",
      trend: c.trend,
    });
  }
  {
    const c = formatChange(hasPrevious ? prevEvents : null, totalEvents);
    summary.push({
      label: "Events",
      value: formatCount(totalEvents),
      change: c.change ? `${c.change} on last month` : "",
      trend: c.trend,
    });
  }
  {
    const c = formatChange(hasPrevious ? prevTenantIds.length : null, tenantIds.length);
    const diff = tenantIds.length - prevTenantIds.length;
    summary.push({
      label: "Active tenants",
      value: formatCount(tenantIds.length),
      change: hasPrevious ? `${diff >= 0 ? "+" : ""}${diff} on last month` : "",
      trend: c.trend,
    });
  }
  if (tenantIds.length > 0 && totalCu.gt(0)) {
    const top = tenantIds.map((t) => ({ t, cu: new Exact(now.get(t)!.compute_units) }))
      .sort((a, b) => b.cu.cmp(a.cu) || (a.t < b.t ? -1 : 1))[0];
    const name = tenantName(input.tenants, top.t);
    highlights.push(
      `Largest consumer: ${name ? `${name} (${top.t})` : top.t}, ${
        pct(top.cu, totalCu)
      } of all compute units.`,
    );
  }
  if (!hasPrevious) highlights.push(`No usage recorded for the month before ${label}.`);

  const tenantEntries = [...now.entries()].filter(([id]) => shown(id));
  // Cut to the largest tenants: list them largest first.
  if (truncated) {
    tenantEntries.sort((a, b) =>
      new Exact(b[1].compute_units).cmp(a[1].compute_units) || (a[0] < b[0] ? -1 : 1)
    );
  }
  const usageByTenant = tenantEntries.map(([id, v]) => {
    const prev = before.get(id);
    const c = formatChange(
      hasPrevious ? Number(prev?.compute_units ?? 0) : null,
      Number(v.compute_units),
    );
    return {
      tenant_id: id,
      name: tenantName(input.tenants, id),
      events: formatCount(v.events),
      compute_units: formatDecimal(v.compute_units, 3),
      share: pct(new Exact(v.compute_units), totalCu),
      change: c.change,
      trend: c.trend,
    };
  });
  const totalChange = formatChange(
    hasPrevious ? Number(prevCu.toFixed(6)) : null,
    Number(totalCu.toFixed(6)),
  );

  let invoiceView: ReportView["invoices"] = null;
  if (invoices) {
    const prevByTenant = new Map((input.previousInvoices ?? []).map((i) => [i.tenant_id, i]));
    const totals = moneyTotals(invoices);
    const prevTotals = input.previousInvoices ? moneyTotals(input.previousInvoices) : null;
    const notes: string[] = [];
    if (input.unbilled.length > 0) {
      notes.push(
        `Unbilled usage: ${
          input.unbilled.map((u) =>
            `${u.tenant_id ?? NO_TENANT_LABEL} (${formatCount(u.events)} events, ${u.reason})`
          ).join("; ")
        }.`,
      );
    }
    invoiceView = {
      rows: invoices.filter((inv) => shown(inv.tenant_id)).map((inv) => {
        const prev = prevByTenant.get(inv.tenant_id);
        const c = formatChange(
          input.previousInvoices ? (prev?.total_minor ?? 0) : null,
          inv.total_minor,
        );
        return {
          number: inv.number,
          href: href(inv.tenant_id),
          tenant_id: inv.tenant_id,
          name: tenantName(input.tenants, inv.tenant_id) || inv.tenant_id,
          plan: input.planNames?.[inv.plan] ?? inv.plan,
          subtotal: formatMoney(inv.subtotal_minor, inv.currency),
          total: formatMoney(inv.total_minor, inv.currency),
          change: c.change,
          trend: c.trend,
        };
      }),
      totals: [...totals.entries()].map(([currency, t]) => ({
        currency,
        subtotal: formatMoney(t.subtotal, currency),
        total: formatMoney(t.total, currency),
        change: formatChange(prevTotals ? prevTotals.get(currency)?.total ?? 0 : null, t.total)
          .change,
      })),
      notes,
    };
  }

  let compare: ReportView["compare"] = null;
  if (input.comparison && input.comparison.rows.length > 0) {
    const cmp = input.comparison;
    const sums = cmp.plans.map((p) => cmp.rows.reduce((s, r) => s + (r.totals[p] ?? 0), 0));
    compare = {
      caption:
        `What each tenant would pay for ${label}'s usage under every plan (${cmp.currency}).` +
        (cmp.notes?.length ? ` ${cmp.notes.join(" ")}` : ""),
      plans: cmp.plans.map((p) => input.planNames?.[p] ?? p),
      rows: cmp.rows.filter((r) => shown(r.tenant_id)).map((r) => {
        const values = cmp.plans.map((p) => r.totals[p]).filter((v): v is number =>
          v !== undefined
        );
        const best = values.length > 0 ? Math.min(...values) : null;
        return {
          tenant_id: r.tenant_id,
          plan: input.planNames?.[r.current_plan] ?? r.current_plan,
          cells: cmp.plans.map((p) => ({
            amount: r.totals[p] === undefined ? "n/a" : formatMoney(r.totals[p], cmp.currency),
            best: r.totals[p] !== undefined && r.totals[p] === best,
          })),
        };
      }),
      totals: sums.map((s) => formatMoney(s, cmp.currency)),
    };
  }

  let margin: ReportView["margin"] = null;
  if (input.margin && input.margin.rows.length > 0) {
    const m = input.margin;
    const row = (revenue: number, cost: number, cu: string) => {
      const diff = revenue - cost;
      return {
        revenue: formatMoney(revenue, m.currency),
        compute_units: formatDecimal(cu, 1),
        cost: formatMoney(cost, m.currency),
        margin: formatMoney(diff, m.currency),
        pct: revenue === 0 ? "" : `${((diff / revenue) * 100).toFixed(1)}%`,
        trend: diff < 0 ? "down" : "",
      };
    };
    const rev = m.rows.reduce((s, r) => s + r.revenue_minor, 0);
    const cost = m.rows.reduce((s, r) => s + r.cost_minor, 0);
    const { trend: _t, ...total } = row(rev, cost, sumDecimal(m.rows.map((r) => r.compute_units)));
    margin = {
      caption: m.caption,
      rows: m.rows.filter((r) => shown(r.tenant_id)).map((r) => ({
        tenant_id: r.tenant_id,
        ...row(r.revenue_minor, r.cost_minor, r.compute_units),
      })),
      total,
    };
  }

  const history = input.comparison?.history
    ? compareHistoryView(input.comparison.history, {
      currency: input.comparison.currency,
      planNames: input.planNames,
      shown,
    })
    : null;
  const marginByPlan = input.margin
    ? marginByPlanView(input.margin, { month: input.month, planNames: input.planNames, shown })
    : null;

  const q = input.quality;
  const unbilledEvents = input.unbilled.reduce((s, u) => s + u.events, 0);
  const quality = [
    {
      label: "Quarantined",
      value: q ? formatCount(q.quarantined) : "n/a",
      meaning: "rows rejected at import (bad timestamp, tenant id, event type or compute units)",
    },
    {
      label: "Duplicates",
      value: q ? formatCount(q.duplicates) : "n/a",
      meaning: "rows whose id was already stored; not counted twice",
    },
    {
      label: "Late",
      value: q ? formatCount(q.late) : "n/a",
      meaning: "events imported after their month had ended",
    },
    {
      label: "Unauthenticated",
      value: q ? formatCount(q.unauthenticated) : "n/a",
      meaning: "requests refused for a missing or unknown API key (no tenant, not billed)",
    },
    {
      label: "Unbilled",
      value: formatCount(unbilledEvents),
      meaning: "events of tenants with no invoice this month (no tenant record or plan)",
    },
  ];
  const qualityNotes = q ? [] : ["The store keeps no data-quality bookkeeping for this month."];

  const source = input.inputs.source;
  const footer = `meterbook ${input.version} · ${label} · ` +
    (source.kind === "scenario"
      ? `generated scenario "${source.scenario}", seed ${source.seed}`
      : `event store ${source.store}`) +
    ` · invoices dated ${dateLabel(monthDates(input.month).issueDate)}`;

  return {
    title: `Usage and billing report: ${label}`,
    subtitle: `Billing period ${monthDates(input.month).periodStart} to ${
      monthDates(input.month).periodEnd
    } (UTC) · ${formatCount(tenantIds.length)} tenants · ${formatCount(totalEvents)} events`,
    demo: input.demo,
    provisional: input.provisional ?? null,
    css: options.css,
    warnings: input.warnings,
    summary,
    highlights,
    usageByTenant,
    usageTotal: {
      events: formatCount(totalEvents),
      compute_units: formatDecimal(totalCu.toFixed(6), 3),
      change: totalChange.change,
    },
    truncated,
    usage: input.usage.filter((r) => shown(r.tenant_id ?? NO_TENANT_LABEL)).map((r) => ({
      tenant_id: r.tenant_id ?? NO_TENANT_LABEL,
      event_type: r.event_type,
      events: formatCount(r.events),
      compute_units: formatDecimal(r.compute_units, 3),
    })),
    invoices: invoiceView,
    compare,
    history,
    tierFit: input.tierFit && {
      ...input.tierFit,
      rows: input.tierFit.rows.filter((r) => shown(r[0]?.text ?? "")),
    },
    margin,
    marginByPlan,
    charts: input.charts.map((c) => ({ ...c, caption: c.caption ?? "" })),
    omittedCharts: (input.omittedCharts ?? []).map((c) => `${c.title}: ${c.reason}.`),
    quality,
    qualityNotes,
    footer,
    pageFooterCss: cssString(
      `meterbook · Usage and billing report · ${label}${input.demo ? " · Demo data" : ""}${
        input.provisional ? " · Provisional" : ""
      }`,
    ),
  };
}

/** What templates/invoice.eta prints. */
export interface InvoiceView {
  css: string;
  demo: string | null;
  /** Why the invoice is provisional (its month has not ended), or null. */
  provisional: string | null;
  number: string;
  period: string;
  issueDate: string;
  dueDate: string;
  plan: string;
  currency: string;
  issuer: Issuer;
  billTo: { id: string; name: string; lines: string[] };
  lines: Array<{ description: string; quantity: string; unitPrice: string; amount: string }>;
  subtotal: string;
  adjustments: Array<{ label: string; amount: string }>;
  total: string;
  usageNote: string;
  /** The printed page footer's left text, as a CSS string literal. */
  pageFooterCss: string;
}

/** Formats a decimal quantity: grouping, at most 6 decimals, trailing zeros dropped. */
export function formatQuantity(value: string): string {
  const text = new Exact(value).round(6, 1).toFixed(6).replace(/\.?0+$/, "");
  return groupDecimalDigits(text === "" || text === "-" ? "0" : text);
}

/** Formats a unit price (major units) with the currency symbol and at least 2 decimals. */
export function formatUnitPrice(value: string, currency: string): string {
  const d = new Exact(value);
  const places = Math.max(2, (d.toFixed().split(".")[1] ?? "").length);
  const symbol = formatMoney(0, currency).replace(/[\d.,\s-]+$/, "");
  const text = groupDecimalDigits(d.abs().toFixed(places));
  return `${d.lt(0) ? "-" : ""}${symbol}${symbol && /[A-Z]$/.test(symbol) ? " " : ""}${text}`;
}

/**
 * Builds one invoice's view.
 *
 * @example
 * ```ts ignore
 * import { invoiceView } from "./view.ts";
 * const view = invoiceView(invoice, { css: "", demo: null, month: "2026-10", tenant, issuer });
 * ```
 */
export function invoiceView(
  invoice: ReportInvoice,
  options: {
    css: string;
    demo: string | null;
    /** Why the invoice is provisional (default: it is not). */
    provisional?: string | null;
    month: string;
    tenant: ReportTenant | undefined;
    issuer: Issuer;
    planName?: string;
  },
): InvoiceView {
  const dates = monthDates(options.month, { dueDays: options.issuer.due_days });
  const tenant = options.tenant;
  const billLines: string[] = [];
  if (tenant?.billing?.address) {
    billLines.push(...String(tenant.billing.address).split(/\s*\n\s*/));
  }
  if (tenant?.billing?.email) billLines.push(String(tenant.billing.email));
  const adjustments: InvoiceView["adjustments"] = [];
  if (invoice.total_minor !== invoice.subtotal_minor) {
    adjustments.push({
      label: "Adjustments",
      amount: formatMoney(invoice.total_minor - invoice.subtotal_minor, invoice.currency),
    });
  }
  return {
    css: options.css,
    demo: options.demo,
    provisional: options.provisional ?? null,
    number: invoice.number,
    period: `${dateLabel((invoice.period_start ?? dates.periodStart).slice(0, 10))} to ${
      dateLabel(periodEndInclusive(invoice.period_end, dates.periodEnd))
    }`,
    issueDate: dateLabel(dates.issueDate),
    dueDate: dateLabel(dates.dueDate),
    plan: options.planName ?? invoice.plan,
    currency: invoice.currency,
    issuer: options.issuer,
    billTo: { id: invoice.tenant_id, name: tenant?.name ?? invoice.tenant_id, lines: billLines },
    lines: invoice.lines.map((l) => ({
      description: l.description,
      quantity: formatQuantity(l.quantity),
      unitPrice: formatUnitPrice(l.unit_price, invoice.currency),
      amount: formatMoney(l.amount_minor, invoice.currency),
    })),
    subtotal: formatMoney(invoice.subtotal_minor, invoice.currency),
    adjustments,
    total: formatMoney(invoice.total_minor, invoice.currency),
    pageFooterCss: cssString(
      `Invoice ${invoice.number}${options.demo ? " · Demo data" : ""}${
        options.provisional ? ` · ${PROVISIONAL_LABEL}` : ""
      }`,
    ),
    usageNote: `Usage measured for ${monthLabel(options.month)} in ${
      tenant?.time_zone ? `${tenant.time_zone} local time` : "UTC"
    }.`,
  };
}

/**
 * An invoice's `period_end` as an inclusive date: pricing may write the
 * exclusive end (the first day of the next month); the invoice prints the
 * last day of the period.
 */
function periodEndInclusive(periodEnd: string | undefined, fallback: string): string {
  if (!periodEnd) return fallback;
  const day = periodEnd.slice(0, 10);
  if (/^\d{4}-\d{2}-01$/.test(day) && day > fallback) return fallback;
  return day;
}
