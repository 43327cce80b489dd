/**
 * Number and money formatting for chart labels (floats are fine here: charts
 * only display amounts, they never add them up).
 *
 * @module
 */
import { CURRENCY_SYMBOLS } from "../money/currency.ts";

/** Minor units to a float in major units, for plotting. */
export function majorUnits(minor: number, exponent: number): number {
  return minor / 10 ** exponent;
}

/**
 * A short money label: `$1.2k`, `-$350`, `$2.4M`.
 *
 * @example
 * ```ts
 * import { compactMoney } from "./format.ts";
 * compactMoney(12345, "USD"); // "$12.3k"
 * ```
 */
export function compactMoney(major: number, currency: string): string {
  const symbol = Object.hasOwn(CURRENCY_SYMBOLS, currency) ? CURRENCY_SYMBOLS[currency] : "";
  const sign = major < 0 ? "-" : "";
  const abs = Math.abs(major);
  let text: string;
  if (abs >= 1e9) text = `${trim(abs / 1e9)}B`;
  else if (abs >= 1e6) text = `${trim(abs / 1e6)}M`;
  else if (abs >= 1e3) text = `${trim(abs / 1e3)}k`;
  else text = abs >= 100 || abs === 0 ? abs.toFixed(0) : trim(abs, 2);
  return symbol ? `${sign}${symbol}${text}` : `${sign}${text} ${currency}`;
}

/**
 * A money label for a value printed beside a bar or a line end, with enough
 * digits to read it: cents below 100 (`$31.99`), whole units with grouping
 * below 100,000 (`$1,955` for 1,954.81), then 3 significant digits (`$123k`,
 * `$1.23M`). Axis ticks use the shorter {@linkcode compactMoney}.
 *
 * @example
 * ```ts
 * import { valueMoney } from "./format.ts";
 * valueMoney(1954.81, "USD"); // "$1,955"
 * valueMoney(-31.99, "USD"); // "-$31.99"
 * valueMoney(1234567, "USD"); // "$1.23M"
 * ```
 */
export function valueMoney(major: number, currency: string): string {
  const symbol = Object.hasOwn(CURRENCY_SYMBOLS, currency) ? CURRENCY_SYMBOLS[currency] : "";
  const abs = Math.abs(major);
  let text: string;
  if (abs >= 1e9) text = `${+(abs / 1e9).toPrecision(3)}B`;
  else if (abs >= 1e6) text = `${+(abs / 1e6).toPrecision(3)}M`;
  else if (abs >= 99_999.5) text = `${+(abs / 1e3).toPrecision(3)}k`;
  else if (abs >= 99.995) text = Math.round(abs).toLocaleString("en-US");
  else text = abs === 0 ? "0" : abs.toFixed(2);
  const sign = major < 0 && text !== "0" && text !== "0.00" ? "-" : "";
  return symbol ? `${sign}${symbol}${text}` : `${sign}${text} ${currency}`;
}

function trim(value: number, digits = 1): string {
  return String(+value.toFixed(digits));
}

/** "YYYY-MM" to a UTC Date at the start of the month. */
export function monthDate(month: string): Date {
  return new Date(`${month}-01T00:00:00Z`);
}
