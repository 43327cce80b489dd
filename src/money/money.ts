/**
 * Money: integer minor units (cents, yen) with an ISO 4217 currency. Amounts
 * are JavaScript safe integers, so they serialise to JSON as plain numbers;
 * every conversion from a decimal rounds once, half away from zero.
 *
 * @module
 */
import type { ExactDecimal } from "./decimal.ts";
import { UserError } from "../errors.ts";
import { currencyExponent } from "./currency.ts";
import { Exact, exactDecimal } from "./decimal.ts";

/** An amount of money in integer minor units of `currency`. */
export interface Money {
  /** Integer minor units (cents for USD, yen for JPY); a safe integer. */
  amount_minor: number;
  /** ISO 4217 code, such as `USD`. */
  currency: string;
}

function checkSafe(minor: number, what: string): number {
  if (!Number.isSafeInteger(minor)) {
    throw new UserError(
      `${what}: ${minor} minor units is not a safe integer (over ${Number.MAX_SAFE_INTEGER}); the amount is too large to bill`,
    );
  }
  return minor === 0 ? 0 : minor; // no -0 in JSON
}

/**
 * A {@linkcode Money} value, checked: a known currency and a safe integer.
 *
 * @example
 * ```ts
 * import { money } from "./money.ts";
 * money(123456, "USD"); // { amount_minor: 123456, currency: "USD" }
 * ```
 */
export function money(amountMinor: number, currency: string): Money {
  currencyExponent(currency);
  return { amount_minor: checkSafe(amountMinor, `amount in ${currency}`), currency };
}

/**
 * Converts an amount in major units (a decimal: dollars, euros) to integer
 * minor units, rounding once, half away from zero: `"0.125"` USD is 13 cents,
 * `"-0.125"` is -13 cents, `"1234.5"` JPY is 1235 yen.
 *
 * @example
 * ```ts
 * import { toMinorUnits } from "./money.ts";
 * toMinorUnits("12.345", "USD"); // 1235
 * toMinorUnits("1234.5", "JPY"); // 1235
 * ```
 */
export function toMinorUnits(major: string | number | ExactDecimal, currency: string): number {
  const exponent = currencyExponent(currency);
  const scaled = exactDecimal(major, `amount in ${currency}`).times(new Exact(10).pow(exponent));
  return checkSafe(Number(scaled.round(0, 1).toFixed(0)), `amount in ${currency}`);
}

/**
 * Converts an exact decimal amount in major units to minor units, refusing
 * one with more decimals than the currency has (no rounding): for fixed fees
 * written in a plan.
 *
 * @example
 * ```ts
 * import { exactMinorUnits } from "./money.ts";
 * exactMinorUnits("2000.00", "USD"); // 200000
 * // exactMinorUnits("0.5", "JPY") throws: JPY has no minor unit
 * ```
 */
export function exactMinorUnits(
  major: string | number | ExactDecimal,
  currency: string,
  what = "amount",
): number {
  const exponent = currencyExponent(currency);
  const value = exactDecimal(major, what);
  const scaled = value.times(new Exact(10).pow(exponent));
  if (!scaled.eq(scaled.round(0, 0))) {
    throw new UserError(
      `${what}: ${value.toFixed()} has more decimals than ${currency} allows (${exponent})`,
    );
  }
  return checkSafe(Number(scaled.toFixed(0)), what);
}

/**
 * The amount of a priced line in minor units: `quantity x unitPrice`, computed
 * exactly and rounded once, half away from zero.
 *
 * @example
 * ```ts
 * import { lineAmountMinor } from "./money.ts";
 * lineAmountMinor("12.345678", "0.05", "USD"); // 62 (0.6172839 -> $0.62)
 * lineAmountMinor("0.5", "0.01", "USD"); // 1 ($0.005 -> $0.01)
 * ```
 */
export function lineAmountMinor(
  quantity: string | number | ExactDecimal,
  unitPrice: string | number | ExactDecimal,
  currency: string,
): number {
  const q = exactDecimal(quantity, "quantity");
  const p = exactDecimal(unitPrice, "unit price");
  return toMinorUnits(q.times(p), currency);
}

/**
 * Minor units as exact decimal text in major units: `123456` USD -> `"1234.56"`,
 * `1235` JPY -> `"1235"`.
 *
 * @example
 * ```ts
 * import { minorToDecimal } from "./money.ts";
 * minorToDecimal(-5, "USD"); // "-0.05"
 * ```
 */
export function minorToDecimal(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  checkSafe(amountMinor, `amount in ${currency}`);
  return new Exact(amountMinor).div(new Exact(10).pow(exponent)).toFixed(exponent);
}

/**
 * Adds integer minor-unit amounts, checking the sum stays a safe integer.
 *
 * @example
 * ```ts
 * import { sumMinor } from "./money.ts";
 * sumMinor([50000, 62, -10]); // 50052
 * ```
 */
export function sumMinor(amounts: readonly number[]): number {
  let total = 0;
  for (const amount of amounts) {
    if (!Number.isSafeInteger(amount)) {
      throw new Error(`sumMinor: ${amount} is not an integer amount of minor units`);
    }
    total += amount;
  }
  return checkSafe(total, "sum of amounts");
}
