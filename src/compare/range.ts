/**
 * The months a comparison covers: `--from`/`--to` checked against the months
 * the store holds, so that a range never runs past the last month with data
 * (a future `--to` would back-test empty months). A tenant with a time zone
 * can have a local month just past either end of the UTC partitions (a
 * Chicago tenant's August in the first hours of 1 September UTC, a Tokyo
 * tenant's November in the last hours of 31 October UTC), and its invoices
 * bill it, so the range reaches that month too ({@linkcode storeReach}).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { localMonthRange } from "../events/month_range.ts";
import { describeMonthEnd, monthEnd, monthHasEnded } from "../invoices/month_end.ts";
import { nextMonth, previousMonth } from "../warehouse/store.ts";

/**
 * The first and last month that can hold billed usage, given the store's
 * UTC months (ascending): the first and last of them, and one month further
 * where a tenant's zone reaches: a zone west of UTC (Chicago) has its month
 * before the first partition in that partition's first hours; a zone east
 * of UTC (Tokyo) its month after the last partition in its final hours.
 * Null for an empty store.
 *
 * @example
 * ```ts
 * import { storeReach } from "./range.ts";
 * storeReach(["2026-09", "2026-10"], { chi: "America/Chicago" }); // { first: "2026-08", last: "2026-10" }
 * storeReach(["2026-09", "2026-10"], { tyo: "Asia/Tokyo" }); // { first: "2026-09", last: "2026-11" }
 * ```
 */
export function storeReach(
  months: readonly string[],
  timeZones: Record<string, string> = {},
): { first: string; last: string } | null {
  if (months.length === 0) return null;
  const first = months[0];
  const last = months[months.length - 1];
  const before = previousMonth(first);
  const after = nextMonth(last);
  const zones = [...new Set(Object.values(timeZones))];
  const firstStart = localMonthRange(first, "UTC")[0];
  const afterStart = localMonthRange(after, "UTC")[0];
  return {
    first: zones.some((z) => localMonthRange(before, z)[1] > firstStart) ? before : first,
    last: zones.some((z) => localMonthRange(after, z)[0] < afterStart) ? after : last,
  };
}

/** Options of {@linkcode resolveCompareRange}. */
export interface CompareRangeOptions {
  /** The first month asked for (default: the first month that can hold data). */
  from?: string;
  /** The last month asked for (default: the last month that can hold data). */
  to?: string;
  /** The store, named in messages. */
  store: string;
  /**
   * Tenant id -> IANA zone of the tenants billed in local months: the range
   * reaches the local months just past the partitions ({@linkcode storeReach}).
   */
  timeZones?: Record<string, string>;
  /** The flag named in messages for `to` (default `--to`; `--month` when that was given). */
  toFlag?: string;
  /** The flag named in messages for `from` (default `--from`). */
  fromFlag?: string;
}

/** The months to read: `from` to `to`, inclusive. */
export interface CompareRange {
  from: string;
  to: string;
}

/**
 * Resolves the months to read: default every month that can hold data (the
 * store's months, and the zoned tenants' local months just past them); a
 * `to` or `from` after the last such month is a one-line
 * {@linkcode UserError} naming it. The comparison itself then starts and ends at the first and last
 * month that has rows, unless `--from`/`--to` were given.
 *
 * @example
 * ```ts
 * import { resolveCompareRange } from "./range.ts";
 * resolveCompareRange(["2026-09", "2026-10"], { store: "data/events" });
 * // { from: "2026-09", to: "2026-10" }
 * resolveCompareRange(["2026-09", "2026-10"], {
 *   store: "data/events",
 *   timeZones: { tyo: "Asia/Tokyo" },
 * }); // { from: "2026-09", to: "2026-11" }
 * // resolveCompareRange(["2026-09", "2026-10"], { to: "2030-01", store: "data/events" }) throws
 * ```
 */
export function resolveCompareRange(
  months: readonly string[],
  options: CompareRangeOptions,
): CompareRange {
  const store = JSON.stringify(options.store);
  const toFlag = options.toFlag ?? "--to";
  const fromFlag = options.fromFlag ?? "--from";
  if (months.length === 0) {
    throw new UserError(
      `No usage in ${store}: generate data with \`deno task generate --scenario demo\` or pass --store DIR`,
    );
  }
  const { first, last } = storeReach(months, options.timeZones)!;
  const stored = months[months.length - 1];
  const lastText = last === stored ? stored : `${stored}, or ${last} in a tenant's time zone`;
  if (options.to !== undefined && options.to > last) {
    throw new UserError(
      `${toFlag} ${options.to} is after the last month with data in ${store} (${lastText}): ` +
        `pass ${toFlag} ${last} or earlier, or leave ${toFlag} out`,
    );
  }
  if (options.from !== undefined && options.from > last) {
    throw new UserError(
      `${fromFlag} ${options.from} is after the last month with data in ${store} (${lastText}): ` +
        `pass ${fromFlag} ${last} or earlier`,
    );
  }
  const from = options.from ?? first;
  const to = options.to ?? last;
  if (from > to) throw new UserError(`${fromFlag} ${from} is after ${toFlag} ${to}: swap them`);
  return { from, to };
}

/**
 * The console note for a comparison whose last month has not ended yet in
 * UTC or in some tenant's zone (the rule invoices and reports use), or null.
 *
 * @example
 * ```ts
 * import { openMonthNote } from "./range.ts";
 * openMonthNote("2026-11", { now: new Date("2026-12-01T03:00:00Z") }); // null
 * openMonthNote("2026-11", {
 *   now: new Date("2026-12-01T03:00:00Z"),
 *   timeZones: { dept_e: "America/Chicago" },
 * });
 * // "2026-11 has not ended yet, so its figures are partial: it ends 2026-12-01T06:00Z, midnight in ..."
 * ```
 */
export function openMonthNote(
  to: string,
  options: { now: Date; timeZones?: Record<string, string> },
): string | null {
  if (monthHasEnded(to, options.now, options.timeZones)) return null;
  return `${to} has not ended yet, so its figures are partial: it ends ${
    describeMonthEnd(monthEnd(to, options.timeZones))
  }`;
}
