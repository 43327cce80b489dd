/**
 * Pricing: plans and tenants files (JSON or YAML, validated with zod), the
 * charge models (flat, per unit, included + overage, graduated and volume
 * tiers, package, minimum commitment, discount), and pricing a tenant-month's
 * usage under a plan, as pure functions.
 *
 * @example
 * ```ts
 * import { definePlan, priceUsage } from "./mod.ts";
 * const plan = definePlan("what_if", { currency: "USD", charges: [
 *   { type: "flat", amount: "500" },
 *   { type: "per_unit", meter: { measure: "compute_units" }, unit_price: "0.04" },
 * ] });
 * priceUsage(plan, [{ tenant_id: "dept_a", event_type: "enkf_run", events: 3,
 *   compute_units: "1000" }]).total_minor; // 54000
 * ```
 *
 * @module
 */
export * from "./types.ts";
export {
  checkTenantPlans,
  definePlan,
  loadPlans,
  loadTenants,
  parsePlans,
  parseTenants,
} from "./load.ts";
export { meterLabel, meterQuantity } from "./meter.ts";
export * from "./price.ts";
export * from "./tier_plans.ts";
export * from "./rollup.ts";
export type { ChargeContext } from "./models/line.ts";
export * from "./models/flat.ts";
export * from "./models/per_unit.ts";
export * from "./models/included.ts";
export * from "./models/tiers.ts";
export * from "./models/package.ts";
export * from "./models/minimum.ts";
export * from "./models/discount.ts";
