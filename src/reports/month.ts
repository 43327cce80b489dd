/**
 * Calendar-month arithmetic for reports: neighbours, bounds, invoice dates,
 * and the default report month.
 *
 * @module
 */

function parse(month: string): [number, number] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`Not a month: ${JSON.stringify(month)} (expected YYYY-MM)`);
  return [Number(m[1]), Number(m[2])];
}

function fmt(year: number, month: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

/**
 * The month `delta` months after `month` (negative for before).
 *
 * @example
 * ```ts
 * import { addMonths } from "./month.ts";
 * addMonths("2026-01", -1); // "2025-12"
 * ```
 */
export function addMonths(month: string, delta: number): string {
  const [y, m] = parse(month);
  const index = y * 12 + (m - 1) + delta;
  return fmt(Math.floor(index / 12), (index % 12) + 1);
}

/** The UTC calendar month that contains `now`. */
export function monthOf(now: Date): string {
  return fmt(now.getUTCFullYear(), now.getUTCMonth() + 1);
}

/** ISO date `YYYY-MM-DD` of a UTC date. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The dates an invoice for `month` carries. */
export interface MonthDates {
  /** First day of the period, `YYYY-MM-01`. */
  periodStart: string;
  /** Last day of the period (inclusive). */
  periodEnd: string;
  /** Issue date: the first day after the period. */
  issueDate: string;
  /** Due date: `dueDays` after the issue date. */
  dueDate: string;
}

/**
 * The period, issue and due dates of `month`, derived from the month alone so
 * that reruns are identical: issued the day after the period ends, due
 * `dueDays` (default 30) later.
 *
 * @example
 * ```ts
 * import { monthDates } from "./month.ts";
 * monthDates("2026-10").dueDate; // "2026-12-01"
 * ```
 */
export function monthDates(month: string, options: { dueDays?: number } = {}): MonthDates {
  const [y, m] = parse(month);
  const start = new Date(Date.UTC(y, m - 1, 1));
  const next = new Date(Date.UTC(y, m, 1));
  const last = new Date(next.getTime() - 86_400_000);
  const due = new Date(next.getTime() + (options.dueDays ?? 30) * 86_400_000);
  return {
    periodStart: isoDate(start),
    periodEnd: isoDate(last),
    issueDate: isoDate(next),
    dueDate: isoDate(due),
  };
}

const NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "October 2026" for "2026-10". */
export function monthLabel(month: string): string {
  const [y, m] = parse(month);
  return `${NAMES[m - 1]} ${y}`;
}

/** "1 November 2026" for "2026-11-01". */
export function dateLabel(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${NAMES[m - 1]} ${y}`;
}

/**
 * The default report month: the latest month in `months` that has ended
 * (strictly before the UTC month of `now`), or `null` when there is none.
 *
 * @example
 * ```ts
 * import { latestEndedMonth } from "./month.ts";
 * latestEndedMonth(["2026-09", "2026-10", "2026-11"], new Date("2026-11-25T00:00:00Z")); // "2026-10"
 * ```
 */
export function latestEndedMonth(months: readonly string[], now: Date): string | null {
  const current = monthOf(now);
  const ended = months.filter((m) => m < current).sort();
  return ended.length > 0 ? ended[ended.length - 1] : null;
}
