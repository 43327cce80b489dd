/**
 * Tier fit: what each tier plan would have cost each tenant this month.
 *
 * @module
 */
import { priceUsage } from "../pricing/price.ts";
import type { Plans, PricedCharges, PricingUsageRow, Tenants } from "../pricing/types.ts";
import type { TierFitRow } from "./types.ts";

/** Input of {@linkcode tierFit}. */
export interface TierFitInput {
  tenants: Tenants;
  plans: Plans;
  /** Each tenant's usage rows for the month. */
  usageByTenant: ReadonlyMap<string, readonly PricingUsageRow[]>;
  /** Tier plan ids to compare, in order; ids missing from `plans` are skipped. */
  tierPlans: readonly string[];
  /** Already priced current plans, by tenant id (priced again when missing). */
  priced?: ReadonlyMap<string, PricedCharges>;
}

/**
 * Prices each tenant's month under each tier plan in its currency and names
 * the cheapest (the first on a tie). Tenants whose currency no tier plan
 * uses are left out. Sorted by tenant id.
 *
 * @example
 * ```ts
 * import { tierFit } from "./tier_fit.ts";
 * import { loadPlans, loadTenants } from "../pricing/mod.ts";
 * const rows = tierFit({
 *   tenants: await loadTenants("data/tenants.json"),
 *   plans: await loadPlans("data/plans.json"),
 *   usageByTenant: new Map(),
 *   tierPlans: ["starter", "professional", "enterprise"],
 * });
 * rows[0].cheapest; // "starter"
 * ```
 */
export function tierFit(input: TierFitInput): TierFitRow[] {
  const { tenants, plans, usageByTenant, tierPlans } = input;
  const out: TierFitRow[] = [];
  const ids = Object.keys(tenants).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) {
    const tenant = tenants[id];
    const rows = usageByTenant.get(id) ?? [];
    const current = input.priced?.get(id) ?? priceUsage(plans[tenant.plan], rows);
    const costs: Record<string, number> = {};
    let cheapest: string | undefined;
    for (const planId of tierPlans) {
      const plan = Object.hasOwn(plans, planId) ? plans[planId] : undefined;
      if (!plan || plan.currency !== tenant.currency) continue;
      costs[planId] = priceUsage(plan, rows).total_minor;
      if (cheapest === undefined || costs[planId] < costs[cheapest]) cheapest = planId;
    }
    if (cheapest === undefined) continue;
    out.push({
      tenant_id: id,
      plan: tenant.plan,
      currency: tenant.currency,
      current_total_minor: current.total_minor,
      costs,
      cheapest,
      saving_minor: current.total_minor - costs[cheapest],
    });
  }
  return out;
}
