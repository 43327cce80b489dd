/**
 * Included units plus overage.
 *
 * @module
 */
import { Exact } from "../../money/decimal.ts";
import { meterLabel, showQuantity } from "../meter.ts";
import type { IncludedCharge, PricedLine } from "../types.ts";
import { type ChargeContext, pricedLine } from "./line.ts";

/**
 * Prices the units over `included` at `unit_price`: one line whose quantity
 * is the overage (0 when usage stays within the included units).
 *
 * @example
 * ```ts
 * import { priceIncluded } from "./included.ts";
 * const [line] = priceIncluded(
 *   { type: "included", meter: { measure: "compute_units" }, included: "100", unit_price: "0.10" },
 *   { currency: "USD", quantity: "250.5", running_minor: 50000, index: 1 },
 * );
 * line.quantity; // "150.5"
 * line.amount_minor; // 1505
 * ```
 */
export function priceIncluded(charge: IncludedCharge, context: ChargeContext): PricedLine[] {
  const used = new Exact(context.quantity);
  const over = used.minus(charge.included);
  const overage = over.gt(0) ? over : new Exact(0);
  const label = charge.description ?? meterLabel(charge.meter);
  return [
    pricedLine(
      charge,
      context,
      `${label} over ${showQuantity(charge.included)} included (${
        showQuantity(used.toFixed())
      } used)`,
      overage,
      charge.unit_price,
      "usage",
    ),
  ];
}
