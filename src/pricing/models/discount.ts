/**
 * Discounts and credits.
 *
 * @module
 */
import { Exact } from "../../money/decimal.ts";
import { formatMoney } from "../../money/format.ts";
import { exactMinorUnits, minorToDecimal } from "../../money/money.ts";
import type { DiscountCharge, PricedLine } from "../types.ts";
import { type ChargeContext, pricedLine } from "./line.ts";

/**
 * A discount on the lines above it: `percent` of their sum (quantity = that
 * sum, unit price = -percent/100, rounded once), or a fixed credit `amount`
 * capped at their sum, so the total never goes below zero. When the lines
 * above sum to zero or less, the line is zero.
 *
 * @example
 * ```ts
 * import { priceDiscount } from "./discount.ts";
 * const ctx = { currency: "USD", quantity: "0", running_minor: 12345, index: 3 };
 * priceDiscount({ type: "discount", percent: "10" }, ctx)[0].amount_minor; // -1235 (12.345 -> 12.35)
 * priceDiscount({ type: "discount", amount: "500.00" }, ctx)[0].amount_minor; // -12345 (capped)
 * ```
 */
export function priceDiscount(charge: DiscountCharge, context: ChargeContext): PricedLine[] {
  const { currency } = context;
  const base = Math.max(0, context.running_minor);
  if (charge.percent !== undefined) {
    const rate = new Exact(charge.percent).div(100);
    return [
      pricedLine(
        charge,
        context,
        charge.description ?? `Discount ${new Exact(charge.percent).toFixed()} %`,
        minorToDecimal(base, currency),
        rate.gt(0) ? rate.neg().toFixed() : "0",
        "adjustment",
      ),
    ];
  }
  const credit = exactMinorUnits(charge.amount ?? "0", currency, "discount amount");
  const applied = Math.min(credit, base);
  const capped = applied < credit
    ? ` (${formatMoney(credit, currency)}, capped at ${formatMoney(base, currency)})`
    : "";
  return [
    pricedLine(
      charge,
      context,
      `${charge.description ?? "Credit"}${capped}`,
      "1",
      applied > 0 ? `-${minorToDecimal(applied, currency)}` : "0",
      "adjustment",
    ),
  ];
}
