/**
 * Calendar-month arithmetic for reports: neighbours, invoice dates and
 * month names. When a month ends (and so the default report month) is the
 * invoices module's rule (src/invoices/month_end.ts).
 *
 * @module
 */

import { monthLabel } from "../invoices/period.ts";

function parse(month: string): [number, number] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`Not a month: ${JSON.stringify(month)} (expected YYYY-MM)`);
  return [Number(m[1]), Number(m[2])];
}

export { addMonths, monthOf } from "../events/month.ts";

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

/** "October 2026" for "2026-10" (the invoices module's month names). */
export { monthLabel };

/** "1 November 2026" for "2026-11-01". */
export function dateLabel(iso: string): string {
  const [name, year] = monthLabel(iso.slice(0, 7)).split(" ");
  return `${Number(iso.slice(8, 10))} ${name} ${year}`;
}
