/**
 * Which plans are "the tiers": the plans that tier fit compares (what each
 * would have cost a tenant, and the cheapest). Invoices and the pricing
 * comparison both use this list.
 *
 * @module
 */

/**
 * The seed document's three tiers, in ascending size.
 *
 * @example
 * ```ts
 * import { TIER_PLANS } from "./tier_plans.ts";
 * TIER_PLANS.includes("professional"); // true
 * ```
 */
export const TIER_PLANS: readonly string[] = ["starter", "professional", "enterprise"];
