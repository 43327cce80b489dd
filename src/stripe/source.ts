/**
 * Where the push's quantities come from: the month's usage rows in the
 * store, read through each tenant's plan exactly as the invoices are priced
 * (the same rows, the same `meterQuantity` of each metered charge).
 *
 * Stripe receives the metered quantity of each charge that declares a Stripe
 * meter `event_name`, i.e. the usage the invoice line was priced from (all
 * of it, not only the overage of an `included` charge): the Stripe price on
 * that meter applies the plan's model (per unit, included tier, tiers).
 *
 * @module
 */
import { meterQuantity } from "../pricing/meter.ts";
import type { Plans, PricingUsageRow, Tenants } from "../pricing/types.ts";
import type { MeterQuantity } from "./push.ts";
import { COMPUTE_UNITS_SCALE } from "./value.ts";

/** The quantities to push, and notes about what is not pushed. */
export interface StripePushSource {
  quantities: MeterQuantity[];
  /** Tenants or charges left out, and why (for the CLI's log). */
  notes: string[];
}

/**
 * One {@linkcode MeterQuantity} per tenant with a `stripe_customer_id` and
 * per metered charge of its plan with an `event_name` (ordered by tenant,
 * then charge). Compute-unit meters are scaled x1000, event counts x1.
 *
 * @example
 * ```ts
 * import { stripeMeterQuantities } from "./source.ts";
 * const { quantities } = stripeMeterQuantities({
 *   usage: [{ tenant_id: "dept_a", event_type: "enkf_run", events: 4, compute_units: "12.5" }],
 *   plans: { hybrid: { id: "hybrid", name: "Hybrid", currency: "USD", charges: [
 *     { type: "per_unit", meter: { measure: "compute_units" }, unit_price: "0.05",
 *       event_name: "compute_units" },
 *   ] } },
 *   tenants: { dept_a: { id: "dept_a", name: "A", plan: "hybrid", currency: "USD",
 *     billing: { address: "x", email: "a@b.co" }, stripe_customer_id: "cus_a" } },
 * });
 * quantities[0].quantity; // "12.5"
 * ```
 */
export function stripeMeterQuantities(input: {
  usage: readonly PricingUsageRow[];
  plans: Plans;
  tenants: Tenants;
}): StripePushSource {
  const quantities: MeterQuantity[] = [];
  const notes: string[] = [];
  for (const id of Object.keys(input.tenants).sort()) {
    const tenant = input.tenants[id];
    if (!tenant.stripe_customer_id) {
      notes.push(`${id}: no stripe_customer_id in the tenants file; not pushed`);
      continue;
    }
    const plan = input.plans[tenant.plan];
    if (!plan) {
      notes.push(`${id}: plan ${JSON.stringify(tenant.plan)} is not in the plans file; not pushed`);
      continue;
    }
    const rows = input.usage.filter((row) => row.tenant_id === id);
    const seen = new Set<string>();
    plan.charges.forEach((charge, index) => {
      if (!("meter" in charge)) return;
      if (!charge.event_name) {
        notes.push(
          `${id}: plan ${plan.id} charge ${
            index + 1
          } (${charge.type}) has no event_name; not pushed`,
        );
        return;
      }
      if (seen.has(charge.event_name)) {
        notes.push(
          `${id}: plan ${plan.id} has two charges on Stripe meter ${charge.event_name}; ` +
            `only the first is pushed`,
        );
        return;
      }
      seen.add(charge.event_name);
      quantities.push({
        tenant_id: id,
        stripe_customer_id: tenant.stripe_customer_id!,
        meter: charge.event_name,
        event_name: charge.event_name,
        quantity: meterQuantity(charge.meter, rows),
        scale: charge.meter.measure === "compute_units" ? COMPUTE_UNITS_SCALE : 1,
        ...(tenant.time_zone ? { time_zone: tenant.time_zone } : {}),
      });
    });
  }
  return { quantities, notes };
}
