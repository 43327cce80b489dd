/**
 * Minimum commitment: a true-up line up to a floor.
 *
 * @module
 */
import { formatMoney } from "../../money/format.ts";
import { exactMinorUnits, minorToDecimal } from "../../money/money.ts";
import type { MinimumCharge, PricedLine } from "../types.ts";
import { type ChargeContext, pricedLine } from "./line.ts";

/**
 * When the lines above it sum to less than `amount`, adds one line for the
 * difference; otherwise no line.
 *
 * @example
 * ```ts
 * import { priceMinimum } from "./minimum.ts";
 * const [line] = priceMinimum({ type: "minimum", amount: "1000.00" },
 *   { currency: "USD", quantity: "0", running_minor: 61234, index: 2 });
 * line.amount_minor; // 38766
 * ```
 */
export function priceMinimum(charge: MinimumCharge, context: ChargeContext): PricedLine[] {
  const floor = exactMinorUnits(charge.amount, context.currency, "minimum amount");
  const shortfall = floor - context.running_minor;
  if (shortfall <= 0) return [];
  return [
    pricedLine(
      charge,
      context,
      charge.description ??
        `Minimum commitment of ${formatMoney(floor, context.currency)}: true-up`,
      "1",
      minorToDecimal(shortfall, context.currency),
      "adjustment",
    ),
  ];
}
