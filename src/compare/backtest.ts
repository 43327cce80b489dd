/**
 * The back-test itself, independent of any pricing module: every tenant's
 * every month priced under every plan through a `price` function, then
 * revenue, margins, deltas against the current plan, the two axes and tier
 * fit. {@linkcode compare} in compare.ts plugs in the real pricing engine.
 *
 * @module
 */
import * as aq from "arquero";
import { UserError } from "../errors.ts";
import { currencyExponent } from "../money/currency.ts";
import { TIER_PLANS } from "../pricing/tier_plans.ts";
import { AXIS_DEFINITIONS, revenuePredictability, usageAlignment } from "./axes.ts";
import { type CostSettings, costToServeMinor } from "./costs.ts";
import type {
  ComparedMonth,
  ComparedPlan,
  ComparedTenant,
  ComparedTenantMonth,
  CompareResult,
  CompareUsageRow,
  PlanMover,
  PlanMovers,
  TenantTierFitSummary,
  TierFitSummary,
} from "./types.ts";

/** Prices one tenant-month's rows under one plan: the total in minor units and its currency. */
export type ComparePricer = (
  planId: string,
  rows: CompareUsageRow[],
) => { total_minor: number; currency: string };

/** What {@linkcode backtest} needs. */
export interface BacktestInput {
  /** Usage per month per tenant per event type (`compareUsage()`: each tenant's billing months). */
  usage: readonly CompareUsageRow[];
  /** Plan ids in display order, with display names. */
  plans: readonly { id: string; name: string }[];
  price: ComparePricer;
  /** Tenant id -> current plan id (tenants missing here have no current plan). */
  currentPlans: Readonly<Record<string, string>>;
  costs: CostSettings;
  /** First month (default: the first month in `usage`). */
  from?: string;
  /** Last month (default: the last month in `usage`). */
  to?: string;
}

/** Options of {@linkcode backtest}. */
export interface BacktestOptions {
  /** The tier plans for tier fit (default starter, professional, enterprise: those present). */
  tiers?: string[];
  /** How many top movers per plan (default 5). */
  top?: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Every month from `from` to `to` inclusive.
 *
 * @example
 * ```ts
 * import { monthRange } from "./backtest.ts";
 * monthRange("2025-11", "2026-02"); // ["2025-11", "2025-12", "2026-01", "2026-02"]
 * ```
 */
export function monthRange(from: string, to: string): string[] {
  const a = MONTH.exec(from);
  const b = MONTH.exec(to);
  if (!a) throw new UserError(`--from ${JSON.stringify(from)}: expected a month like 2026-10`);
  if (!b) throw new UserError(`--to ${JSON.stringify(to)}: expected a month like 2026-10`);
  if (from > to) throw new UserError(`--from ${from} is after --to ${to}: swap them`);
  const out: string[] = [];
  let y = Number(a[1]);
  let m = Number(a[2]);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    out.push(month);
    if (month === to) return out;
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

/** Compute units as integer micro-units (exact for decimal text with up to 6 decimals). */
export function toMicro(value: string | number): number {
  if (typeof value === "number") return Math.round(value * 1e6);
  const negative = value.startsWith("-");
  const [int, frac = ""] = (negative ? value.slice(1) : value).split(".");
  const micro = Number(int) * 1e6 + Number(frac.slice(0, 6).padEnd(6, "0"));
  return negative ? -micro : micro;
}

/** Integer micro-units as decimal text with 6 decimals. */
export function fromMicro(micro: number): string {
  const negative = micro < 0;
  const abs = Math.abs(micro);
  const int = Math.floor(abs / 1e6);
  const frac = String(abs - int * 1e6).padStart(6, "0");
  return `${negative ? "-" : ""}${int}.${frac}`;
}

function safe(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new Error(`${what}: ${n} is not a safe integer`);
  return n;
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * Prices every tenant's every month under every plan and measures the result.
 * Pure: the same input gives the same output.
 *
 * Each tenant is billed every month from its first month with usage in the
 * range to the end of the range (months without usage are priced on no
 * usage). Rows without a tenant (refused requests) are left out.
 *
 * @example
 * ```ts
 * import { backtest } from "./backtest.ts";
 * const result = backtest({
 *   usage: [{ month: "2026-10", tenant_id: "a", event_type: "enkf_run", events: 2, compute_units: "10" }],
 *   plans: [{ id: "flat", name: "Flat" }],
 *   price: () => ({ total_minor: 200000, currency: "USD" }),
 *   currentPlans: { a: "flat" },
 *   costs: { currency: "USD", cost_per_compute_unit: "0.02", cost_per_api_call: "0" },
 * });
 * result.plans[0].revenue_minor; // 200000
 * ```
 */
export function backtest(input: BacktestInput, options: BacktestOptions = {}): CompareResult {
  const planIds = input.plans.map((p) => p.id);
  if (planIds.length === 0) throw new UserError("Cannot compare plans: the plans file has none");
  const notes: string[] = [];

  // Range and grouping.
  const dataMonths = [...new Set(input.usage.map((r) => r.month))].sort();
  const from = input.from ?? dataMonths[0];
  const to = input.to ?? dataMonths[dataMonths.length - 1];
  if (from === undefined || to === undefined) {
    throw new UserError(
      "Cannot compare plans: no usage in the store. Generate some with `deno task generate --scenario demo`",
    );
  }
  const months = monthRange(from, to);
  const inRange = new Set(months);
  const groups = new Map<string, CompareUsageRow[]>();
  let noTenant = 0;
  for (const row of input.usage) {
    if (!inRange.has(row.month)) continue;
    if (row.tenant_id === null) {
      noTenant += row.events;
      continue;
    }
    const key = `${row.tenant_id}\u0000${row.month}`;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  if (noTenant > 0) {
    notes.push(
      `${noTenant} events without a tenant (refused requests) are not billed and left out`,
    );
  }
  // Each tenant is billed from its first month with usage in the range to the end of the range.
  const firstMonth = new Map<string, string>();
  for (const key of groups.keys()) {
    const [tenant, month] = key.split("\u0000");
    const seen = firstMonth.get(tenant);
    if (seen === undefined || month < seen) firstMonth.set(tenant, month);
  }
  const tenantIds = [...firstMonth.keys()].sort();
  if (tenantIds.length === 0) {
    throw new UserError(
      `Cannot compare plans: no tenant usage from ${from} to ${to}. Check --from/--to against the store's months`,
    );
  }
  const missing = tenantIds.filter((t) => input.currentPlans[t] === undefined);
  if (missing.length > 0) {
    notes.push(
      `${missing.length} of ${tenantIds.length} tenants are not in the tenants file (no current plan): ` +
        `left out of deltas and tier-fit impact (${missing.slice(0, 3).join(", ")}${
          missing.length > 3 ? ", ..." : ""
        })`,
    );
  }
  for (const [tenant, plan] of Object.entries(input.currentPlans)) {
    if (tenantIds.includes(tenant) && !planIds.includes(plan)) {
      throw new UserError(
        `Tenant "${tenant}" is on plan "${plan}", which is not in the plans file (plans: ${
          planIds.join(", ")
        })`,
      );
    }
  }
  const currency = input.costs.currency;
  const exponent = currencyExponent(currency);
  const tiers = (options.tiers ?? TIER_PLANS).filter((t) => planIds.includes(t));

  // Price every tenant-month under every plan.
  const tenantMonths: ComparedTenantMonth[] = [];
  const consumption: number[] = [];
  const eventsByTenantMonth: Record<string, number>[] = [];
  const long = {
    tenant_id: [] as string[],
    month: [] as string[],
    plan: [] as string[],
    charge_minor: [] as number[],
    cost_minor: [] as number[],
  };
  const spans: [number, number][] = [];
  for (const tenant of tenantIds) {
    const start = tenantMonths.length;
    for (const month of months) {
      if (month < firstMonth.get(tenant)!) continue;
      const rows = groups.get(`${tenant}\u0000${month}`) ?? [];
      let micro = 0;
      let events = 0;
      const byType: Record<string, number> = {};
      for (const r of rows) {
        micro += toMicro(r.compute_units);
        events += r.events;
        byType[r.event_type] = (byType[r.event_type] ?? 0) + r.events;
      }
      const compute_units = fromMicro(micro);
      const cost = costToServeMinor(input.costs, { compute_units, events: byType });
      const charges: Record<string, number> = {};
      for (const plan of planIds) {
        const priced = input.price(plan, rows);
        if (priced.currency !== currency) {
          throw new UserError(
            `Cannot compare plan "${plan}": it is priced in ${priced.currency} but the cost settings are in ${currency}. ` +
              `Use one currency in the plans and cost files`,
          );
        }
        charges[plan] = safe(priced.total_minor, `plan ${plan} total`);
        long.tenant_id.push(tenant);
        long.month.push(month);
        long.plan.push(plan);
        long.charge_minor.push(charges[plan]);
        long.cost_minor.push(cost);
      }
      let bestTier: string | null = null;
      for (const tier of tiers) {
        if (bestTier === null || charges[tier] < charges[bestTier]) bestTier = tier;
      }
      tenantMonths.push({
        tenant_id: tenant,
        month,
        compute_units,
        events,
        api_calls: byType.api_call ?? 0,
        cost_minor: cost,
        charges_minor: charges,
        best_tier: bestTier,
      });
      consumption.push(micro / 1e6);
      eventsByTenantMonth.push(byType);
    }
    spans.push([start, tenantMonths.length]);
  }

  // Rollups (arquero): revenue per plan per month, per tenant per plan.
  const table = aq.table(long);
  const byPlanMonth = table.groupby("plan", "month")
    .rollup({ revenue: aq.op.sum("charge_minor") })
    .objects() as { plan: string; month: string; revenue: number }[];
  const byTenantPlan = table.groupby("tenant_id", "plan")
    .rollup({ revenue: aq.op.sum("charge_minor"), cost: aq.op.sum("cost_minor") })
    .objects() as { tenant_id: string; plan: string; revenue: number; cost: number }[];

  const planMonth = new Map(byPlanMonth.map((r) => [`${r.plan}\u0000${r.month}`, r.revenue]));
  const tenantPlan = new Map(byTenantPlan.map((r) => [`${r.tenant_id}\u0000${r.plan}`, r]));

  const byMonth = new Map<string, ComparedTenantMonth[]>(months.map((m) => [m, []]));
  for (const tm of tenantMonths) byMonth.get(tm.month)!.push(tm);
  const revenue_by_month: ComparedMonth[] = months.map((month) => {
    const rows = byMonth.get(month)!;
    const revenue_minor: Record<string, number> = {};
    for (const plan of planIds) {
      revenue_minor[plan] = safe(planMonth.get(`${plan}\u0000${month}`) ?? 0, "revenue");
    }
    return {
      month,
      revenue_minor,
      compute_units: fromMicro(rows.reduce((s, tm) => s + toMicro(tm.compute_units), 0)),
      cost_minor: safe(rows.reduce((s, tm) => s + tm.cost_minor, 0), "cost"),
      tenants_billed: rows.length,
    };
  });

  // Per tenant.
  const totalMicro = tenantMonths.reduce((s, tm) => s + toMicro(tm.compute_units), 0);
  // tenantMonths is tenant-major: tenant i owns tenantMonths[spans[i][0] .. spans[i][1]).
  const monthsOf = (i: number) => tenantMonths.slice(spans[i][0], spans[i][1]);
  const tenants: ComparedTenant[] = tenantIds.map((tenant, ti) => {
    const mine = monthsOf(ti);
    const idx = spans[ti][0];
    const events_by_type: Record<string, number> = {};
    for (let i = 0; i < mine.length; i++) {
      for (const [type, n] of Object.entries(eventsByTenantMonth[idx + i])) {
        events_by_type[type] = (events_by_type[type] ?? 0) + n;
      }
    }
    const micro = mine.reduce((s, tm) => s + toMicro(tm.compute_units), 0);
    const cost = safe(mine.reduce((s, tm) => s + tm.cost_minor, 0), "cost");
    const current = input.currentPlans[tenant] ?? null;
    const revenue_minor: Record<string, number> = {};
    const margin_minor: Record<string, number> = {};
    const delta_minor: Record<string, number | null> = {};
    for (const plan of planIds) {
      revenue_minor[plan] = safe(tenantPlan.get(`${tenant}\u0000${plan}`)?.revenue ?? 0, "revenue");
      margin_minor[plan] = revenue_minor[plan] - cost;
    }
    for (const plan of planIds) {
      delta_minor[plan] = current === null ? null : revenue_minor[plan] - revenue_minor[current];
    }
    let cheapest = planIds[0];
    for (const plan of planIds) if (revenue_minor[plan] < revenue_minor[cheapest]) cheapest = plan;
    return {
      tenant_id: tenant,
      current_plan: current,
      compute_units: fromMicro(micro),
      compute_share: totalMicro === 0 ? 0 : micro / totalMicro,
      events: mine.reduce((s, tm) => s + tm.events, 0),
      api_calls: mine.reduce((s, tm) => s + tm.api_calls, 0),
      events_by_type,
      cost_minor: cost,
      revenue_minor,
      margin_minor,
      delta_minor,
      cheapest_plan: cheapest,
    };
  });

  // Per plan: totals and the two axes.
  const totalCost = safe(tenantMonths.reduce((s, tm) => s + tm.cost_minor, 0), "cost");
  const plans: ComparedPlan[] = input.plans.map(({ id, name }) => {
    const revenue = safe(revenue_by_month.reduce((s, m) => s + m.revenue_minor[id], 0), "revenue");
    const margin = revenue - totalCost;
    return {
      plan: id,
      name,
      revenue_minor: revenue,
      cost_minor: totalCost,
      margin_minor: margin,
      margin_rate: rate(margin, revenue),
      current_tenants: tenantIds.filter((t) => input.currentPlans[t] === id).length,
      // Revenue per billed tenant, so that tenants joining do not count as pricing volatility.
      predictability: revenuePredictability(
        revenue_by_month.filter((m) => m.tenants_billed > 0).map((m) =>
          m.revenue_minor[id] / m.tenants_billed
        ),
      ),
      alignment: usageAlignment(tenantMonths.map((tm) => tm.charges_minor[id]), consumption),
    };
  });
  if (months.length < 6 || tenantIds.length < 5) {
    notes.push(
      `Only ${months.length} month(s) and ${tenantIds.length} tenant(s): the predictability and ` +
        `alignment scores rest on few points; read them as indicative`,
    );
  }

  // Movers: everyone moved to each plan, against their current plan.
  const top = options.top ?? 5;
  const withPlan = tenants.filter((t) => t.current_plan !== null);
  const movers: PlanMovers[] = planIds.map((plan) => {
    const list: PlanMover[] = withPlan.map((t) => {
      const current_minor = t.revenue_minor[t.current_plan!];
      const plan_minor = t.revenue_minor[plan];
      return {
        tenant_id: t.tenant_id,
        current_plan: t.current_plan!,
        current_minor,
        plan_minor,
        delta_minor: plan_minor - current_minor,
        delta_rate: rate(plan_minor - current_minor, current_minor),
      };
    });
    return {
      plan,
      pays_more: list.filter((m) => m.delta_minor > 0).map((m) => m.tenant_id),
      pays_less: list.filter((m) => m.delta_minor < 0).map((m) => m.tenant_id),
      unchanged: list.filter((m) => m.delta_minor === 0).map((m) => m.tenant_id),
      net_delta_minor: safe(list.reduce((s, m) => s + m.delta_minor, 0), "delta"),
      top: list.filter((m) => m.delta_minor !== 0)
        .sort((a, b) =>
          Math.abs(b.delta_minor) - Math.abs(a.delta_minor) ||
          (a.tenant_id < b.tenant_id ? -1 : 1)
        )
        .slice(0, top),
    };
  });

  // Tier fit.
  let tier_fit: TierFitSummary | null = null;
  if (tiers.length === 0) {
    notes.push(
      `No tier fit: none of the tiers ${
        (options.tiers ?? TIER_PLANS).join(", ")
      } is in the plans file`,
    );
  } else {
    const fits: TenantTierFitSummary[] = tenants.map((t, ti) => {
      const mine = monthsOf(ti);
      const months_best: Record<string, number> = {};
      for (const tier of tiers) months_best[tier] = 0;
      for (const tm of mine) months_best[tm.best_tier!]++;
      let best = tiers[0];
      for (const tier of tiers) if (t.revenue_minor[tier] < t.revenue_minor[best]) best = tier;
      const current = t.current_plan === null ? null : t.revenue_minor[t.current_plan];
      return {
        tenant_id: t.tenant_id,
        current_plan: t.current_plan,
        months_best,
        best_tier: best,
        best_tier_minor: t.revenue_minor[best],
        current_minor: current,
        change_minor: current === null ? null : t.revenue_minor[best] - current,
        monthly_best_minor: safe(
          mine.reduce((s, tm) => s + tm.charges_minor[tm.best_tier!], 0),
          "revenue",
        ),
      };
    });
    const counted = fits.filter((f) => f.current_minor !== null);
    const sum = (f: (x: TenantTierFitSummary) => number) =>
      safe(counted.reduce((s, x) => s + f(x), 0), "revenue");
    const current = sum((f) => f.current_minor!);
    const best = sum((f) => f.best_tier_minor);
    const monthly = sum((f) => f.monthly_best_minor);
    tier_fit = {
      tiers,
      tenants: fits,
      revenue_current_minor: current,
      revenue_best_tier_minor: best,
      impact_minor: best - current,
      revenue_monthly_best_minor: monthly,
      monthly_impact_minor: monthly - current,
      excluded_tenants: fits.length - counted.length,
    };
  }

  return {
    from,
    to,
    months,
    currency,
    exponent,
    plan_ids: planIds,
    plans,
    revenue_by_month,
    tenants,
    movers,
    tier_fit,
    tenant_months: tenantMonths,
    definitions: {
      ...AXIS_DEFINITIONS,
      margin: "Margin: revenue under the plan minus the cost to serve (cost settings below), " +
        "per tenant over the range. The cost does not depend on the plan.",
      tier_fit:
        "Tier fit: the cheapest of the tier plans for each tenant-month; impact = revenue " +
        "if every tenant with a current plan moved to the one tier cheapest over the range, minus " +
        "their revenue on their current plans (monthly: switching to each month's cheapest tier).",
      billing: "Each tenant is billed every month from its first month with usage in the range " +
        "to the end of the range; months without usage in between are priced on no usage.",
    },
    costs: input.costs,
    notes,
  };
}
