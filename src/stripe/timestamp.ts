/**
 * The timestamp of a month's meter events, and Stripe's window for it.
 *
 * Stripe accepts meter event timestamps within the past 35 calendar days and
 * up to 5 minutes in the future. meterbook sends one event per tenant and
 * meter per month, stamped at the month's last second (UTC,
 * `YYYY-MM-{last}T23:59:59Z`, or the last second before local midnight for a
 * tenant with a `time_zone`), or at `now` when the month is still running,
 * so the usage lands in the billing period that ends with the month.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { localMonthRange } from "../events/month_range.ts";

/** Stripe's limit on how old a meter event timestamp may be. */
export const METER_EVENT_MAX_AGE_DAYS = 35;

/**
 * A safety margin subtracted from the 35 days, so an event stamped near the
 * edge is not rejected while a long push (with retries) is running.
 */
export const METER_EVENT_AGE_MARGIN_SECONDS = 3600;

const DAY = 86_400;

/**
 * The month's first instant and the instant after its last, in Unix
 * seconds: UTC, or cut at local midnight in an IANA `timeZone`.
 *
 * @example
 * ```ts
 * import { meterMonthBounds } from "./timestamp.ts";
 * meterMonthBounds("2026-10").end; // 1793491200 (2026-11-01T00:00:00Z)
 * meterMonthBounds("2026-10", "America/Chicago").end; // 1793509200 (2026-11-01T05:00:00Z)
 * ```
 */
export function meterMonthBounds(month: string, timeZone?: string): { start: number; end: number } {
  if (timeZone) {
    const [start, end] = localMonthRange(month, timeZone);
    return { start: start / 1000, end: end / 1000 };
  }
  const [y, m] = month.split("-").map(Number);
  return { start: Date.UTC(y, m - 1, 1) / 1000, end: Date.UTC(y, m, 1) / 1000 };
}

/**
 * The Unix-seconds timestamp for a month's meter events: the month's last
 * second (in the tenant's `timeZone` when given), or `now` (floored to the
 * second) when that is sooner. Throws a
 * UserError when the month has not started, or when the timestamp would be
 * older than 35 days (minus {@linkcode METER_EVENT_AGE_MARGIN_SECONDS}).
 *
 * @example
 * ```ts
 * import { meterEventTimestamp } from "./timestamp.ts";
 * meterEventTimestamp("2026-10", new Date("2026-11-03T00:00:00Z")); // 1793491199 (2026-10-31T23:59:59Z)
 * ```
 */
export function meterEventTimestamp(
  month: string,
  now: Date,
  options: { timeZone?: string } = {},
): number {
  const { start, end } = meterMonthBounds(month, options.timeZone);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds < start) {
    throw new UserError(
      `Cannot push month ${month}: it has not started yet (now is ${now.toISOString()}); ` +
        `Stripe refuses meter events more than 5 minutes in the future`,
    );
  }
  const timestamp = Math.min(end - 1, nowSeconds);
  const oldest = nowSeconds - METER_EVENT_MAX_AGE_DAYS * DAY + METER_EVENT_AGE_MARGIN_SECONDS;
  if (timestamp < oldest) {
    const stamp = new Date(timestamp * 1000).toISOString();
    throw new UserError(
      `Cannot push month ${month}: its meter events would be stamped ${stamp}, more than ` +
        `${METER_EVENT_MAX_AGE_DAYS} days before now (${now.toISOString()}), and Stripe only accepts ` +
        `meter events from the past ${METER_EVENT_MAX_AGE_DAYS} days; push a month within ` +
        `${METER_EVENT_MAX_AGE_DAYS} days of its end, or bill ${month} in the Stripe Dashboard`,
    );
  }
  return timestamp;
}
