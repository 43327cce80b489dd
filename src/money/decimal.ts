/**
 * Exact decimal arithmetic for money, on a private big.js constructor (its
 * settings never touch the global `Big` other modules may use): 40 decimal
 * places for division, half away from zero as the rounding mode, and no
 * exponent notation in strings.
 *
 * @module
 */
import Big from "big.js";
import { UserError } from "../errors.ts";

/** An exact decimal number (a big.js instance). */
export type ExactDecimal = Big;

/** The private big.js constructor money uses. */
export const Exact: typeof Big = Big();
Exact.DP = 40;
Exact.RM = 1; // Big.roundHalfUp: to nearest, ties away from zero (big.js rounds the magnitude)
Exact.NE = -1_000_000;
Exact.PE = 1_000_000;

/** Strict decimal text: optional minus, digits, optional fraction. No exponent, no `+`, no spaces. */
export const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * Parses a decimal given as text (`"0.05"`, `"12.345678"`) or as a finite
 * JavaScript number (converted through its shortest text form, so `0.1` is
 * exactly `0.1`). Throws a {@linkcode UserError} that names `what`.
 *
 * @example
 * ```ts
 * import { exactDecimal } from "./decimal.ts";
 * exactDecimal("0.10").times(3).toFixed(); // "0.3"
 * ```
 */
export function exactDecimal(value: string | number | ExactDecimal, what = "value"): ExactDecimal {
  if (value instanceof Big) return new Exact(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new UserError(`${what}: must be a finite decimal number, got ${value}`);
    }
    return new Exact(String(value));
  }
  if (typeof value !== "string" || !DECIMAL_PATTERN.test(value)) {
    throw new UserError(
      `${what}: must be a decimal number written like "12.5" or "0.05", got ${
        JSON.stringify(value)
      }`,
    );
  }
  return new Exact(value);
}

/**
 * Rounds a decimal to `places` decimal places, half away from zero
 * (`0.125 -> 0.13`, `-0.125 -> -0.13`).
 *
 * @example
 * ```ts
 * import { roundHalfAwayFromZero } from "./decimal.ts";
 * roundHalfAwayFromZero("-0.125", 2).toFixed(2); // "-0.13"
 * ```
 */
export function roundHalfAwayFromZero(
  value: string | number | ExactDecimal,
  places: number,
): ExactDecimal {
  return exactDecimal(value).round(places, 1);
}

/**
 * Formats decimal text with thousands separators, keeping every given digit:
 * `"1234567.891"` -> `"1,234,567.891"`.
 *
 * @example
 * ```ts
 * import { groupDecimalDigits } from "./decimal.ts";
 * groupDecimalDigits("-1234.5"); // "-1,234.5"
 * ```
 */
export function groupDecimalDigits(decimal: string): string {
  const negative = decimal.startsWith("-");
  const body = negative ? decimal.slice(1) : decimal;
  const [whole, fraction] = body.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction !== undefined ? `.${fraction}` : ""}`;
}
