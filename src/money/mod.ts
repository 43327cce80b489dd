/**
 * Money: ISO 4217 currencies with their exponents, amounts as integer minor
 * units, exact decimal arithmetic (big.js), rounding once half away from zero,
 * and formatting (`$1,234.56`, `¥1,235`).
 *
 * @example
 * ```ts
 * import { formatMoney, lineAmountMinor } from "./mod.ts";
 * const cents = lineAmountMinor("1234.5678", "0.05", "USD"); // 6173
 * formatMoney(cents, "USD"); // "$61.73"
 * ```
 *
 * @module
 */
export * from "./currency.ts";
export {
  DECIMAL_PATTERN,
  Exact,
  type ExactDecimal,
  exactDecimal,
  groupDecimalDigits,
  roundHalfAwayFromZero,
} from "./decimal.ts";
export * from "./money.ts";
export * from "./format.ts";
