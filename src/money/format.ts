/**
 * Formatting money for people: `$1,234.56`, `-$12.00`, `¥1,235`, `CHF 10.00`.
 * Works on the exact decimal text of the amount, never on a float.
 *
 * @module
 */
import { CURRENCY_SYMBOLS } from "./currency.ts";
import { groupDecimalDigits } from "./decimal.ts";
import { minorToDecimal } from "./money.ts";

/** Options of {@linkcode formatMoney}. */
export interface FormatMoneyOptions {
  /** Prefix the currency symbol (`$`), or the code and a space for currencies without one (default true). */
  symbol?: boolean;
  /** Group thousands with commas (default true). */
  grouping?: boolean;
}

/**
 * Formats minor units of a currency for display.
 *
 * @example
 * ```ts
 * import { formatMoney } from "./format.ts";
 * formatMoney(123456, "USD"); // "$1,234.56"
 * formatMoney(1235, "JPY"); // "¥1,235"
 * formatMoney(-1200, "USD"); // "-$12.00"
 * formatMoney(123456, "USD", { symbol: false }); // "1,234.56"
 * ```
 */
export function formatMoney(
  amountMinor: number,
  currency: string,
  options: FormatMoneyOptions = {},
): string {
  const { symbol = true, grouping = true } = options;
  const text = minorToDecimal(amountMinor, currency);
  const negative = text.startsWith("-");
  const magnitude = negative ? text.slice(1) : text;
  const digits = grouping ? groupDecimalDigits(magnitude) : magnitude;
  const prefix = !symbol
    ? ""
    : Object.hasOwn(CURRENCY_SYMBOLS, currency)
    ? CURRENCY_SYMBOLS[currency]
    : `${currency} `;
  return `${negative ? "-" : ""}${prefix}${digits}`;
}
