/**
 * Flat fee per billing period.
 *
 * @module
 */
import type { FlatCharge, PricedLine } from "../types.ts";
import { type ChargeContext, pricedLine } from "./line.ts";

/**
 * Prices a flat fee: one line, quantity 1, whatever the usage.
 *
 * @example
 * ```ts
 * import { priceFlatFee } from "./flat.ts";
 * priceFlatFee({ type: "flat", amount: "500.00" },
 *   { currency: "USD", quantity: "0", running_minor: 0, index: 0 })[0].amount_minor; // 50000
 * ```
 */
export function priceFlatFee(charge: FlatCharge, context: ChargeContext): PricedLine[] {
  return [
    pricedLine(charge, context, charge.description ?? "Fixed fee", "1", charge.amount, "base"),
  ];
}
