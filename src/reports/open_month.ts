/**
 * A report month must have ended: invoices for a month still under way (or
 * in the future) would bill part of it, or only fixed fees. The month ends
 * for a tenant at its local midnight, so the month has ended once it has
 * ended in every tenant's time zone.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { localMonthRange } from "../warehouse/timezones.ts";
import { monthLabel } from "./month.ts";

/** The text printed on a provisional report and its invoices. */
export const PROVISIONAL_LABEL = "Provisional: the month has not ended";

/** Options of {@linkcode checkMonthEnded}. */
export interface MonthEndedOptions {
  /** "Now" (the CLI's clock). */
  now: Date;
  /** Tenant id -> IANA zone, for tenants whose month is their local month. */
  timeZones?: Record<string, string>;
  /** Report an open month anyway, marked provisional (`--allow-open-month`). */
  allowOpenMonth?: boolean;
}

/**
 * When `month` ends: the latest end over UTC and every tenant's zone, with
 * the zone that ends last (`UTC` when none ends later).
 *
 * @example
 * ```ts
 * import { monthEnd } from "./open_month.ts";
 * monthEnd("2026-10", { dept_e: "America/Chicago" });
 * // { end: 2026-11-01T05:00:00.000Z, zone: "America/Chicago", tenant: "dept_e" }
 * ```
 */
export function monthEnd(
  month: string,
  timeZones: Record<string, string> = {},
): { end: Date; zone: string; tenant: string | null } {
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
 * Checks that `month` has ended at `now`. Returns null when it has; when it
 * has not, throws a one-line {@linkcode UserError} naming the fix, or, with
 * `allowOpenMonth`, returns the provisional note the report and invoices print.
 *
 * @example
 * ```ts
 * import { checkMonthEnded } from "./open_month.ts";
 * checkMonthEnded("2026-10", { now: new Date("2026-11-25T00:00:00Z") }); // null
 * checkMonthEnded("2026-11", { now: new Date("2026-11-25T00:00:00Z"), allowOpenMonth: true });
 * // "Provisional: the month has not ended (November 2026 ends 2026-12-01T00:00Z) ..."
 * ```
 */
export function checkMonthEnded(month: string, options: MonthEndedOptions): string | null {
  const { end, zone, tenant } = monthEnd(month, options.timeZones);
  if (options.now.getTime() >= end.getTime()) return null;
  const when = `${end.toISOString().slice(0, 16)}Z`;
  const where = tenant === null ? "" : ` (tenant ${tenant}, ${zone})`;
  if (!options.allowOpenMonth) {
    throw new UserError(
      `--month ${month}: ${monthLabel(month)} has not ended yet (it ends ${when}${where}): ` +
        "report an ended month, or pass --allow-open-month for a provisional report",
    );
  }
  return `${PROVISIONAL_LABEL} (${monthLabel(month)} ends ${when}${where}); usage, invoices ` +
    "and totals will change.";
}
