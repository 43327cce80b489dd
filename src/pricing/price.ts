/**
 * Pricing a plan on one tenant-month's usage: each charge priced by its
 * model, in the plan's order, each line rounded once; the total is the sum
 * of the rounded lines.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { currencyExponent } from "../money/currency.ts";
import { sumMinor } from "../money/money.ts";
import { meterQuantity } from "./meter.ts";
import { priceDiscount } from "./models/discount.ts";
import { priceFlatFee } from "./models/flat.ts";
import { priceIncluded } from "./models/included.ts";
import type { ChargeContext } from "./models/line.ts";
import { priceMinimum } from "./models/minimum.ts";
import { pricePackage } from "./models/package.ts";
import { pricePerUnit } from "./models/per_unit.ts";
import { priceGraduated, priceVolume } from "./models/tiers.ts";
import type { Charge, Plan, PricedCharges, PricedLine, PricingUsageRow } from "./types.ts";

/** Options of {@linkcode priceUsage}. */
export interface PriceUsageOptions {
  /** Price the plan's numbers in this currency instead of the plan's ("what if"). */
  currency?: string;
}

/**
 * Prices one charge: the model chosen by `charge.type`.
 *
 * @example
 * ```ts
 * import { priceCharge } from "./price.ts";
 * priceCharge({ type: "flat", amount: "500" },
 *   { currency: "USD", quantity: "0", running_minor: 0, index: 0 })[0].amount_minor; // 50000
 * ```
 */
export function priceCharge(charge: Charge, context: ChargeContext): PricedLine[] {
  switch (charge.type) {
    case "flat":
      return priceFlatFee(charge, context);
    case "per_unit":
      return pricePerUnit(charge, context);
    case "included":
      return priceIncluded(charge, context);
    case "graduated":
      return priceGraduated(charge, context);
    case "volume":
      return priceVolume(charge, context);
    case "package":
      return pricePackage(charge, context);
    case "minimum":
      return priceMinimum(charge, context);
    case "discount":
      return priceDiscount(charge, context);
  }
}

/**
 * Prices one tenant-month's usage rows under a plan (pure: no files, no
 * clock). Rows without a tenant (unauthenticated) are ignored; rows of more
 * than one tenant are refused.
 *
 * @example
 * ```ts
 * import { definePlan, priceUsage } from "./mod.ts";
 * const hybrid = definePlan("hybrid", { currency: "USD", charges: [
 *   { type: "flat", description: "Base fee", amount: "500.00" },
 *   { type: "per_unit", meter: { measure: "compute_units" }, unit_price: "0.05" },
 * ] });
 * const priced = priceUsage(hybrid, [
 *   { month: "2026-10", tenant_id: "dept_a", event_type: "enkf_run", events: 40,
 *     compute_units: "220.125000" },
 * ]);
 * priced.total_minor; // 51101 ($500 + round(11.00625) = $511.01)
 * ```
 */
export function priceUsage(
  plan: Plan,
  usage: readonly PricingUsageRow[],
  options: PriceUsageOptions = {},
): PricedCharges {
  const currency = options.currency ?? plan.currency;
  currencyExponent(currency);
  const tenants = new Set(usage.map((row) => row.tenant_id).filter((id) => id !== null));
  if (tenants.size > 1) {
    throw new UserError(
      `Cannot price usage under plan ${
        JSON.stringify(plan.id)
      }: the rows belong to ${tenants.size} tenants (${
        [...tenants].slice(0, 5).join(", ")
      }); price one tenant's rows at a time`,
    );
  }
  const lines: PricedLine[] = [];
  let running = 0;
  plan.charges.forEach((charge, index) => {
    const quantity = "meter" in charge ? meterQuantity(charge.meter, usage) : "0";
    const priced = priceCharge(charge, { currency, quantity, running_minor: running, index });
    for (const line of priced) {
      lines.push(line);
      running = sumMinor([running, line.amount_minor]);
    }
  });
  return {
    currency,
    lines,
    subtotal_minor: sumMinor(
      lines.filter((l) => l.charge_type !== "discount").map((l) => l.amount_minor),
    ),
    total_minor: running,
  };
}
