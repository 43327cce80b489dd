/**
 * Calendar months as `YYYY-MM` text: the one pattern every command checks a
 * month with, and the arithmetic on them (UTC, no time zones; local months
 * are {@linkcode ./month_range.ts}).
 *
 * @module
 */

/**
 * A month `YYYY-MM` (month 01-12). Groups 1 and 2 are the year and the month.
 *
 * @example
 * ```ts
 * import { MONTH_PATTERN } from "./month.ts";
 * MONTH_PATTERN.exec("2026-10")?.[2]; // "10"
 * ```
 */
export const MONTH_PATTERN: RegExp = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Whether `text` is a month `YYYY-MM` (see {@linkcode MONTH_PATTERN}).
 *
 * @example
 * ```ts
 * import { isMonth } from "./month.ts";
 * isMonth("2026-10"); // true
 * isMonth("2026-13"); // false
 * ```
 */
export function isMonth(text: string): boolean {
  return MONTH_PATTERN.test(text);
}

function parse(month: string): [number, number] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`Not a month: ${JSON.stringify(month)} (expected YYYY-MM)`);
  return [Number(m[1]), Number(m[2])];
}

function format(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/**
 * The month `delta` months after `month` (negative for before).
 *
 * @example
 * ```ts
 * import { addMonths } from "./month.ts";
 * addMonths("2026-01", -1); // "2025-12"
 * addMonths("2025-11", 11); // "2026-10"
 * ```
 */
export function addMonths(month: string, delta: number): string {
  const [y, m] = parse(month);
  return format(y * 12 + (m - 1) + delta);
}

/**
 * The month after `month`.
 *
 * @example
 * ```ts
 * import { nextMonth } from "./month.ts";
 * nextMonth("2026-12"); // "2027-01"
 * ```
 */
export function nextMonth(month: string): string {
  return addMonths(month, 1);
}

/**
 * The month before `month`.
 *
 * @example
 * ```ts
 * import { previousMonth } from "./month.ts";
 * previousMonth("2026-01"); // "2025-12"
 * ```
 */
export function previousMonth(month: string): string {
  return addMonths(month, -1);
}

/**
 * Whole months from `a` to `b` (`b` minus `a`).
 *
 * @example
 * ```ts
 * import { monthsBetween } from "./month.ts";
 * monthsBetween("2025-11", "2026-10"); // 11
 * ```
 */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = parse(a);
  const [yb, mb] = parse(b);
  return (yb - ya) * 12 + (mb - ma);
}

/**
 * The UTC calendar month that contains `now`.
 *
 * @example
 * ```ts
 * import { monthOf } from "./month.ts";
 * monthOf(new Date("2026-12-01T03:00:00Z")); // "2026-12"
 * ```
 */
export function monthOf(now: Date): string {
  return format(now.getUTCFullYear() * 12 + now.getUTCMonth());
}

/**
 * The first instant of a month in UTC, in epoch milliseconds.
 *
 * @example
 * ```ts
 * import { monthStartMs } from "./month.ts";
 * new Date(monthStartMs("2026-10")).toISOString(); // "2026-10-01T00:00:00.000Z"
 * ```
 */
export function monthStartMs(month: string): number {
  const [y, m] = parse(month);
  return utcMonthStart(y, m - 1);
}

/** Date.UTC for any year: Date.UTC itself reads years 0-99 as 1900-1999. */
function utcMonthStart(year: number, monthIndex: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, 1);
  return d.getTime();
}

/**
 * The first instant after a month in UTC (the start of the next one), in
 * epoch milliseconds; defined for 9999-12 too.
 *
 * @example
 * ```ts
 * import { monthEndMs } from "./month.ts";
 * new Date(monthEndMs("2026-12")).toISOString(); // "2027-01-01T00:00:00.000Z"
 * ```
 */
export function monthEndMs(month: string): number {
  const [y, m] = parse(month);
  return utcMonthStart(y, m);
}
