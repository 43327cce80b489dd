/**
 * Local calendar months in IANA time zones, as UTC instants, computed with
 * Intl: the one place that turns "October in America/Chicago" into a range of
 * instants. The warehouse cuts usage with it (DuckDB's ICU extension cannot be
 * downloaded here, and the SQL stays zone-free) and the Stripe push stamps
 * meter events with it, so both always agree.
 *
 * @module
 */
import { nextMonth } from "./month.ts";
import { UserError } from "../errors.ts";

function offsetMs(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return local - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant (ms) at which local midnight of `YYYY-MM-01` begins in `zone`. */
export function localMonthStart(month: string, zone: string): number {
  const [y, m] = month.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, 1);
  let t = wall - offsetMs(zone, wall);
  t = wall - offsetMs(zone, t);
  return t;
}

/**
 * The UTC instants `[start, end)` of a local calendar month.
 *
 * @example
 * ```ts
 * import { localMonthRange } from "./month_range.ts";
 * const [start, end] = localMonthRange("2026-10", "Europe/Berlin");
 * new Date(start).toISOString(); // "2026-09-30T22:00:00.000Z"
 * new Date(end).toISOString();   // "2026-10-31T23:00:00.000Z"
 * ```
 */
export function localMonthRange(month: string, zone: string): [number, number] {
  if (!isTimeZone(zone)) {
    throw new UserError(
      `Unknown time zone ${JSON.stringify(zone)}: give an IANA name like "Europe/Berlin"`,
    );
  }
  return [localMonthStart(month, zone), localMonthStart(nextMonth(month), zone)];
}

/**
 * Whether `zone` is an IANA time zone name this runtime knows.
 *
 * @example
 * ```ts
 * import { isTimeZone } from "./month_range.ts";
 * isTimeZone("America/Chicago"); // true
 * isTimeZone("Mars/Olympus"); // false
 * ```
 */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
