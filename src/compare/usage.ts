/**
 * The usage a comparison prices: each tenant's months cut the way its
 * invoices cut them. A tenant with a time zone is read for its local calendar
 * months (the warehouse's `usage(month, { timeZones })`, which invoices use
 * too), the others for UTC months, so that a tenant-month's price under its
 * current plan is its invoice total.
 *
 * @module
 */
import { tenantTimeZones } from "../invoices/source.ts";
import type { Tenants } from "../pricing/types.ts";
import { nextMonth, previousMonth } from "../warehouse/store.ts";
import { monthRange } from "./backtest.ts";
import { storeReach } from "./range.ts";
import type { CompareUsageRow } from "./types.ts";

/** A rollup row as a source returns it (the month is set by {@linkcode compareUsage}). */
export type CompareSourceRow = Omit<CompareUsageRow, "month"> & { month?: string };

/** What {@linkcode compareUsage} needs of the warehouse (`Warehouse` satisfies it). */
export interface CompareUsageSource<R extends CompareSourceRow = CompareSourceRow> {
  /** Months with events, ascending (UTC partitions). */
  months(): Promise<string[]>;
  /** One month's rollup; `timeZones` cuts those tenants' months at local midnight. */
  usage(month: string, options?: { timeZones?: Record<string, string> }): Promise<readonly R[]>;
  /** Rollup per UTC month for a range (inclusive). */
  usageByMonth(
    options?: { from?: string; to?: string },
  ): Promise<ReadonlyArray<R & { month: string }>>;
}

/** Options of {@linkcode compareUsage}. */
export interface CompareUsageOptions {
  /** The tenants file: the tenants with a `time_zone` are read in their local months. */
  tenants: Tenants;
  /**
   * First month (default: the store's first, or the month before it when a
   * tenant's zone west of UTC reaches it: `storeReach`).
   */
  from?: string;
  /**
   * Last month (default: the store's last, or the month after it when a
   * tenant's zone east of UTC reaches it: `storeReach`).
   */
  to?: string;
}

/**
 * Usage per month, tenant and event type from `from` to `to`, each tenant's
 * months in its own time zone (like its invoices). Without any zoned tenant
 * this is `usageByMonth({ from, to })` (one query); with one, each month is
 * read as the invoices read it (`usage(month, { timeZones })`), skipping
 * months no stored partition can reach, and the default range reaches the
 * local months just past the store's ends: a Chicago tenant's event at
 * 2026-09-01T02:00Z is its August, a Tokyo tenant's at 2026-10-31T16:00Z its
 * November, and both are billed. Only months with rows come back, so pass
 * the result to `compare()` without `from`/`to` to start and end there.
 *
 * @example
 * ```ts ignore
 * import { compareUsage } from "./usage.ts";
 * import { loadTenants } from "../pricing/mod.ts";
 * import { openWarehouse } from "../warehouse/mod.ts";
 * const wh = await openWarehouse({ store: "data/events" });
 * const usage = await compareUsage(wh, { tenants: await loadTenants("data/tenants.json") });
 * await wh.close();
 * ```
 */
export async function compareUsage<R extends CompareSourceRow>(
  source: CompareUsageSource<R>,
  options: CompareUsageOptions,
): Promise<Array<R & { month: string }>> {
  const zones = tenantTimeZones(options.tenants);
  if (Object.keys(zones).length === 0) {
    return [...await source.usageByMonth({ from: options.from, to: options.to })];
  }
  const stored = await source.months();
  const reach = storeReach(stored, zones);
  if (reach === null) return [];
  const from = options.from ?? reach.first;
  const to = options.to ?? reach.last;
  if (from > to) return [];
  // A local month can only hold events of its own UTC partition or a neighbouring one.
  const near = new Set(stored.flatMap((m) => [previousMonth(m), m, nextMonth(m)]));
  const rows: Array<R & { month: string }> = [];
  for (const month of monthRange(from, to).filter((m) => near.has(m))) {
    for (const row of await source.usage(month, { timeZones: zones })) rows.push({ ...row, month });
  }
  return rows;
}
