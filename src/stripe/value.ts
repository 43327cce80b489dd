/**
 * How a billable quantity (an exact decimal string such as `"12.345678"`)
 * becomes a Stripe meter event `value` (an integer, sent as a string).
 *
 * Stripe meters sum numbers; meterbook sends integers only, so a quantity is
 * multiplied by the meter's scale and rounded ONCE, half away from zero:
 * compute units are carried x1000 (milli-units, `12.345678` -> `"12346"`),
 * counts (API calls, EnKF runs, reports) x1. Set the Stripe price per unit
 * accordingly (a compute-unit price per 1000 milli-units).
 *
 * @module
 */
import Big from "big.js";
import { UserError } from "../errors.ts";

/** The scale used for compute units: Stripe receives milli-units. */
export const COMPUTE_UNITS_SCALE = 1000;

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The default scale of a meter: {@linkcode COMPUTE_UNITS_SCALE} for a meter
 * named `compute_units` (or ending in `_compute_units`), 1 otherwise.
 *
 * @example
 * ```ts
 * import { defaultMeterValueScale } from "./value.ts";
 * defaultMeterValueScale("compute_units"); // 1000
 * defaultMeterValueScale("api_calls"); // 1
 * ```
 */
export function defaultMeterValueScale(meter: string): number {
  return meter === "compute_units" || meter.endsWith("_compute_units") ? COMPUTE_UNITS_SCALE : 1;
}

/**
 * Scales a non-negative decimal quantity to the integer Stripe receives,
 * rounding half away from zero once. Throws a UserError for a negative or
 * malformed quantity or a scale that is not a positive integer.
 *
 * @example
 * ```ts
 * import { meterValue } from "./value.ts";
 * meterValue("12.345678", 1000); // "12346"
 * meterValue("0.0005", 1000); // "1"
 * meterValue("42", 1); // "42"
 * ```
 */
export function meterValue(quantity: string, scale: number): string {
  if (!Number.isSafeInteger(scale) || scale < 1) {
    throw new UserError(
      `Cannot scale a meter value by ${scale}: the scale must be an integer >= 1`,
    );
  }
  if (!DECIMAL.test(quantity)) {
    throw new UserError(
      `Cannot send quantity ${
        JSON.stringify(quantity)
      } to Stripe: expected a non-negative decimal string like "12.5"`,
    );
  }
  // Big.roundHalfUp rounds half away from zero (the quantity is >= 0 anyway).
  return new Big(quantity).times(scale).round(0, Big.roundHalfUp).toFixed(0);
}
