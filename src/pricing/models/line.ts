/**
 * What every charge model shares: the context a charge is priced in, and
 * the builder of one priced line (`amount = round(quantity x unit_price)`).
 *
 * @module
 */
import { Exact, type ExactDecimal } from "../../money/decimal.ts";
import { lineAmountMinor } from "../../money/money.ts";
import type { Charge, LineKind, PricedLine } from "../types.ts";

/** What a charge model is given besides its charge. */
export interface ChargeContext {
  /** ISO 4217 code the plan is priced in. */
  currency: string;
  /** The charge's meter reading (exact decimal text); "0" for unmetered charges. */
  quantity: string;
  /** The sum of the lines above this charge, in minor units (for minimums and discounts). */
  running_minor: number;
  /** The charge's position in the plan. */
  index: number;
}

/** Builds a priced line, rounding `quantity x unitPrice` once, half away from zero. */
export function pricedLine(
  charge: Charge,
  context: ChargeContext,
  description: string,
  quantity: string | ExactDecimal,
  unitPrice: string,
  kind: LineKind,
): PricedLine {
  const q = typeof quantity === "string" ? quantity : quantity.toFixed();
  const line: PricedLine = {
    description,
    quantity: new Exact(q).toFixed(),
    unit_price: unitPrice,
    amount_minor: lineAmountMinor(q, unitPrice, context.currency),
    charge_index: context.index,
    charge_type: charge.type,
    kind,
  };
  if ("event_name" in charge && charge.event_name !== undefined) {
    line.event_name = charge.event_name;
  }
  return line;
}
