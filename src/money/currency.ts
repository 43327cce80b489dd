/**
 * ISO 4217 currencies and their exponents (the number of decimal places of
 * the minor unit): USD 2, EUR 2, JPY 0, KWD 3, ...
 *
 * @module
 */
import { UserError } from "../errors.ts";

/**
 * The exponent of each supported ISO 4217 currency: amounts are kept as
 * integers of 10^-exponent of the major unit (cents for USD, yen for JPY).
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  AED: 2,
  ARS: 2,
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KES: 2,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PEN: 2,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  QAR: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
});

/** Symbols used by {@linkcode formatMoney}; other currencies print their code. */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = Object.freeze({
  USD: "$",
  EUR: "€",
  GBP: "£",
  JPY: "¥",
  CNY: "CN¥",
  INR: "₹",
  KRW: "₩",
  CAD: "CA$",
  AUD: "A$",
  NZD: "NZ$",
  HKD: "HK$",
  SGD: "S$",
  MXN: "MX$",
  BRL: "R$",
  ILS: "₪",
  VND: "₫",
});

/**
 * The exponent of an ISO 4217 currency code. Throws a {@linkcode UserError}
 * naming the code and the supported list when the code is unknown.
 *
 * @example
 * ```ts
 * import { currencyExponent } from "./currency.ts";
 * currencyExponent("USD"); // 2
 * currencyExponent("JPY"); // 0
 * ```
 */
export function currencyExponent(currency: string): number {
  const exponent = Object.hasOwn(CURRENCY_EXPONENTS, currency)
    ? CURRENCY_EXPONENTS[currency]
    : undefined;
  if (exponent === undefined) {
    throw new UserError(
      `unknown currency ${JSON.stringify(currency)}: use an ISO 4217 code in upper case, one of ${
        Object.keys(CURRENCY_EXPONENTS).join(", ")
      }`,
    );
  }
  return exponent;
}

/**
 * Whether `currency` is a supported ISO 4217 code.
 *
 * @example
 * ```ts
 * import { isKnownCurrency } from "./currency.ts";
 * isKnownCurrency("EUR"); // true
 * isKnownCurrency("usd"); // false
 * ```
 */
export function isKnownCurrency(currency: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, currency);
}
