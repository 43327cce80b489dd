/**
 * When a billing month ends: at midnight in UTC for tenants without a time
 * zone, at local midnight for the others, so the month as a whole has ended
 * once it has ended in UTC and in every tenant's zone. The one rule that
 * `deno task invoice`, `deno task report` and `deno task compare` apply.
 *
 * @module
 */
import { localMonthRange } from "../events/month_range.ts";

/** When a month ends, and which zone (and tenant) ends it last. */
export interface MonthEnd {
  /** The instant the month has ended everywhere. */
  end: Date;
  /** The zone whose midnight that is (`UTC` when no tenant's zone ends later). */
  zone: string;
  /** The tenant in that zone (the first by id), or null for UTC. */
  tenant: string | null;
}

/**
 * When `month` ends: the latest end over UTC and every tenant's zone, with
 * the zone that ends last (`UTC` when none ends later).
 *
 * @example
 * ```ts
 * import { monthEnd } from "./month_end.ts";
 * monthEnd("2026-10", { dept_e: "America/Chicago" });
 * // { end: 2026-11-01T05:00:00.000Z, zone: "America/Chicago", tenant: "dept_e" }
 * ```
 */
export function monthEnd(month: string, timeZones: Record<string, string> = {}): MonthEnd {
  const [y, m] = month.split("-").map(Number);
  let end = Date.UTC(y, m, 1); // month m (1-based) as a 0-based index is the next month
  let zone = "UTC";
  let tenant: string | null = null;
  for (const id of Object.keys(timeZones).sort()) {
    const local = localMonthRange(month, timeZones[id])[1];
    if (local > end) {
      end = local;
      zone = timeZones[id];
      tenant = id;
    }
  }
  return { end: new Date(end), zone, tenant };
}

/**
 * Whether `month` has ended at `now` in UTC and in every zone of `timeZones`.
 *
 * @example
 * ```ts
 * import { monthHasEnded } from "./month_end.ts";
 * const now = new Date("2026-12-01T03:00:00Z");
 * monthHasEnded("2026-11", now); // true: November has ended in UTC
 * monthHasEnded("2026-11", now, { dept_e: "America/Chicago" }); // false: not before 06:00Z
 * ```
 */
export function monthHasEnded(
  month: string,
  now: Date,
  timeZones: Record<string, string> = {},
): boolean {
  return now.getTime() >= monthEnd(month, timeZones).end.getTime();
}

/**
 * The latest of `months` that has ended at `now` in UTC and in every zone of
 * `timeZones`, or null when none has: the default month of `deno task
 * invoice` and `deno task report`.
 *
 * @example
 * ```ts
 * import { latestEndedMonth } from "./month_end.ts";
 * const now = new Date("2026-12-01T03:00:00Z");
 * latestEndedMonth(["2026-10", "2026-11"], now); // "2026-11"
 * latestEndedMonth(["2026-10", "2026-11"], now, { dept_e: "America/Chicago" }); // "2026-10"
 * ```
 */
export function latestEndedMonth(
  months: readonly string[],
  now: Date,
  timeZones: Record<string, string> = {},
): string | null {
  const ended = months.filter((m) => monthHasEnded(m, now, timeZones)).sort();
  return ended.length > 0 ? ended[ended.length - 1] : null;
}

/**
 * The end of a month in words for messages: `2026-12-01T06:00Z, midnight in
 * America/Chicago for tenant dept_e` (or just the instant when UTC ends it).
 *
 * @example
 * ```ts
 * import { describeMonthEnd, monthEnd } from "./month_end.ts";
 * describeMonthEnd(monthEnd("2026-11")); // "2026-12-01T00:00Z"
 * ```
 */
export function describeMonthEnd(end: MonthEnd): string {
  const when = monthEndInstant(end);
  return end.tenant === null ? when : `${when}, midnight in ${end.zone} for tenant ${end.tenant}`;
}

/**
 * The instant of a {@linkcode MonthEnd} to the minute, as `2026-12-01T06:00Z`.
 *
 * @example
 * ```ts
 * import { monthEnd, monthEndInstant } from "./month_end.ts";
 * monthEndInstant(monthEnd("2026-11", { chi: "America/Chicago" })); // "2026-12-01T06:00Z"
 * ```
 */
export function monthEndInstant(end: MonthEnd): string {
  return `${end.end.toISOString().slice(0, 16)}Z`;
}
