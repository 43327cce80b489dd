/**
 * Invoicing a month straight from the warehouse (or anything with the same
 * `usage(month, { timeZones })` method): each tenant's time zone is passed
 * so that its month is its local calendar month.
 *
 * @module
 */
import type { Plans, PricingUsageRow, Tenants } from "../pricing/types.ts";
import { buildInvoices } from "./build.ts";
import type { InvoiceRun } from "./types.ts";

/** What {@linkcode invoiceMonth} needs of the warehouse (`Warehouse.usage`). */
export interface UsageSource {
  usage(
    month: string,
    options?: { timeZones?: Record<string, string> },
  ): Promise<readonly PricingUsageRow[]>;
}

/** The time zones of the tenants that set one, for `Warehouse.usage`. */
export function tenantTimeZones(tenants: Tenants): Record<string, string> {
  const zones: Record<string, string> = {};
  for (const tenant of Object.values(tenants)) {
    if (tenant.time_zone !== undefined) zones[tenant.id] = tenant.time_zone;
  }
  return zones;
}

/**
 * Reads a month's usage from the warehouse and builds its invoices.
 *
 * @example
 * ```ts
 * import { invoiceMonth } from "./source.ts";
 * import { loadPlans, loadTenants } from "../pricing/mod.ts";
 * // const wh = await openWarehouse({ store: "data/events" });
 * // const run = await invoiceMonth(wh, { month: "2026-10",
 * //   plans: await loadPlans("data/plans.json"), tenants: await loadTenants("data/tenants.json") });
 * ```
 */
export async function invoiceMonth(
  source: UsageSource,
  options: {
    month: string;
    plans: Plans;
    tenants: Tenants;
    prefix?: string;
    /** Mark the run provisional (its month has not ended). */
    provisional?: boolean;
  },
): Promise<InvoiceRun> {
  const usage = await source.usage(options.month, { timeZones: tenantTimeZones(options.tenants) });
  return buildInvoices({ ...options, usage });
}
