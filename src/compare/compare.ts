/**
 * compare(): every tenant's every month priced under every plan in the plans
 * file with the pricing engine (`priceUsage`), measured against each tenant's
 * current plan and the cost to serve.
 *
 * @module
 */
import { priceUsage } from "../pricing/price.ts";
import type { Plans, Tenants } from "../pricing/types.ts";
import { backtest, type BacktestOptions } from "./backtest.ts";
import type { CostSettings } from "./costs.ts";
import type { CompareResult, CompareUsageRow } from "./types.ts";

/** What {@linkcode compare} needs. */
export interface CompareInput {
  /**
   * Usage per month per tenant per event type, each tenant's months cut as
   * its invoices cut them: `compareUsage(wh, { tenants })` (src/compare/usage.ts).
   * The warehouse's `usageByMonth()` cuts every month in UTC, so a tenant with
   * a time zone would be compared on other months than it is billed for.
   */
  usage: readonly CompareUsageRow[];
  /** The plans file (`loadPlans`); every plan is compared, in file order. */
  plans: Plans;
  /** The tenants file (`loadTenants`): each tenant's current plan. */
  tenants: Tenants;
  /** Cost to serve (`loadCosts`, data/costs.json). */
  costs: CostSettings;
  /** First month, YYYY-MM (default: the first month in `usage`). */
  from?: string;
  /** Last month, YYYY-MM (default: the last month in `usage`). */
  to?: string;
}

/**
 * Prices every tenant-month under every plan and measures revenue, deltas
 * against current plans, margins, the two trade-off axes and tier fit. Pure.
 *
 * @example
 * ```ts
 * import { compare, compareUsage, loadCosts } from "./mod.ts";
 * import { loadPlans, loadTenants } from "../pricing/mod.ts";
 * import { openWarehouse } from "../warehouse/mod.ts";
 * const wh = await openWarehouse({ store: "data/events" });
 * const tenants = await loadTenants("data/tenants.json");
 * const result = compare({
 *   usage: await compareUsage(wh, { tenants }), // each tenant's months in its time zone
 *   plans: await loadPlans("data/plans.json"),
 *   tenants,
 *   costs: await loadCosts("data/costs.json"),
 * });
 * await wh.close();
 * console.table(result.plans.map((p) => [p.plan, p.predictability.value, p.alignment.value]));
 * ```
 */
export function compare(input: CompareInput, options: BacktestOptions = {}): CompareResult {
  const plans = Object.values(input.plans);
  const currentPlans: Record<string, string> = {};
  for (const [id, tenant] of Object.entries(input.tenants)) currentPlans[id] = tenant.plan;
  return backtest({
    usage: input.usage,
    plans: plans.map((p) => ({ id: p.id, name: p.name })),
    price: (id, rows) => {
      const priced = priceUsage(input.plans[id], rows);
      return { total_minor: priced.total_minor, currency: priced.currency };
    },
    currentPlans,
    costs: input.costs,
    from: input.from,
    to: input.to,
  }, options);
}
