/**
 * Per unit on a meter.
 *
 * @module
 */
import { meterLabel } from "../meter.ts";
import type { PerUnitCharge, PricedLine } from "../types.ts";
import { type ChargeContext, pricedLine } from "./line.ts";

/**
 * Prices every unit of the meter at `unit_price`: one line.
 *
 * @example
 * ```ts
 * import { pricePerUnit } from "./per_unit.ts";
 * const [line] = pricePerUnit(
 *   { type: "per_unit", meter: { measure: "compute_units" }, unit_price: "0.05" },
 *   { currency: "USD", quantity: "1234.5678", running_minor: 0, index: 1 },
 * );
 * line.amount_minor; // 6173 (61.72839 -> $61.73)
 * ```
 */
export function pricePerUnit(charge: PerUnitCharge, context: ChargeContext): PricedLine[] {
  return [
    pricedLine(
      charge,
      context,
      charge.description ?? meterLabel(charge.meter),
      context.quantity,
      charge.unit_price,
      "usage",
    ),
  ];
}
