/**
 * The calendar month an instant falls in for a tenant: its local month in
 * its IANA time zone, cut exactly as the warehouse cuts usage months (with
 * {@linkcode localMonthRange}), so "this month" and the rows it selects agree.
 *
 * @module
 */
import { localMonthRange } from "../events/month_range.ts";
import { addMonths, monthOf } from "../events/month.ts";

/**
 * The local month (`YYYY-MM`) that contains `now` in `timeZone` (UTC when
 * omitted). An unknown zone is a `UserError`.
 *
 * @example
 * ```ts
 * import { localMonthOf } from "./local_month.ts";
 * localMonthOf(new Date("2026-12-01T03:00:00Z"), "America/Chicago"); // "2026-11"
 * localMonthOf(new Date("2026-12-01T03:00:00Z")); // "2026-12"
 * ```
 */
export function localMonthOf(now: Date, timeZone = "UTC"): string {
  const t = now.getTime();
  // local time is within ±14 h of UTC: the local month is the UTC month or a neighbour
  for (const month of [monthOf(now), addMonths(monthOf(now), -1), addMonths(monthOf(now), 1)]) {
    const [start, end] = localMonthRange(month, timeZone);
    if (t >= start && t < end) return month;
  }
  return monthOf(now); // unreachable for real zones
}
