/**
 * Calendar dates as `YYYY-MM-DD` text: whether one is a real day.
 *
 * @module
 */

/**
 * Whether `text` is `YYYY-MM-DD` naming a day the calendar has (proleptic
 * Gregorian, UTC, years 0000-9999): `2028-02-29` is, `2026-02-29` and
 * `2026-04-31` are not (where `Date` would roll them into the next month).
 *
 * @example
 * ```ts
 * import { isCalendarDate } from "./date.ts";
 * isCalendarDate("2028-02-29"); // true
 * isCalendarDate("2026-02-29"); // false
 * ```
 */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}
