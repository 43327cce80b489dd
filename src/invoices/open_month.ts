/**
 * A billed month must have ended: invoices (and a report) for a month still
 * under way, or in the future, would bill part of it, or only fixed fees.
 * `deno task invoice` and `deno task report` both refuse such a month unless
 * `--allow-open-month` is given, and then mark what they write provisional.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { describeMonthEnd, monthEnd, monthEndInstant } from "./month_end.ts";
import { monthLabel } from "./period.ts";

/** The text printed on a provisional report and its invoices. */
export const PROVISIONAL_LABEL = "Provisional: the month has not ended";

/** Options of {@linkcode checkMonthEnded}. */
export interface MonthEndedOptions {
  /** "Now" (the CLI's clock). */
  now: Date;
  /** Tenant id -> IANA zone, for tenants whose month is their local month. */
  timeZones?: Record<string, string>;
  /** Write an open month anyway, marked provisional (`--allow-open-month`). */
  allowOpenMonth?: boolean;
  /**
   * How the month was asked for, named in the message (default
   * `--month YYYY-MM`; `--month previous (YYYY-MM)` for schedulers).
   */
  flag?: string;
}

/**
 * How `--month` is named in messages: `--month previous (2026-11)` when the
 * month is the UTC calendar month before `now` (what `--month previous`
 * resolves to), else `--month 2026-11`; undefined without a month.
 *
 * @example
 * ```ts
 * import { monthFlag } from "./open_month.ts";
 * monthFlag("2026-11", new Date("2026-12-01T03:00:00Z")); // "--month previous (2026-11)"
 * monthFlag("2026-10", new Date("2026-12-01T03:00:00Z")); // "--month 2026-10"
 * ```
 */
export function monthFlag(month: string | undefined, now: Date): string | undefined {
  if (month === undefined) return undefined;
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth(); // 0-based: the previous month's 1-based number
  const previous = m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, "0")}`;
  return month === previous ? `--month previous (${month})` : `--month ${month}`;
}

/**
 * Checks that `month` has ended at `now` in UTC and in every tenant's zone.
 * Returns null when it has; when it has not, throws a one-line
 * {@linkcode UserError} naming when to rerun, or, with `allowOpenMonth`,
 * returns the provisional note to print and to mark the output with.
 *
 * @example
 * ```ts
 * import { checkMonthEnded } from "./open_month.ts";
 * checkMonthEnded("2026-10", { now: new Date("2026-11-25T00:00:00Z") }); // null
 * checkMonthEnded("2026-11", { now: new Date("2026-11-25T00:00:00Z"), allowOpenMonth: true });
 * // "Provisional: the month has not ended (November 2026 ends 2026-12-01T00:00Z); ..."
 * ```
 */
export function checkMonthEnded(month: string, options: MonthEndedOptions): string | null {
  const end = monthEnd(month, options.timeZones);
  if (options.now.getTime() >= end.end.getTime()) return null;
  if (!options.allowOpenMonth) {
    throw new UserError(
      `${options.flag ?? `--month ${month}`}: ${monthLabel(month)} has not ended yet: it ends ` +
        `${describeMonthEnd(end)}; rerun after ${monthEndInstant(end)}, or pass ` +
        "--allow-open-month to write it marked provisional",
    );
  }
  return `${PROVISIONAL_LABEL} (${monthLabel(month)} ends ${describeMonthEnd(end)}); usage, ` +
    "invoices and totals will change.";
}
