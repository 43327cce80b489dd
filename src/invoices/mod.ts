/**
 * Invoices: a month's usage priced for every tenant on its plan, with
 * deterministic numbers, billing periods, the tier fit and unbilled usage;
 * `invoices.json`/`invoices.csv` writers and the printed summary tables; and
 * when a month has ended (UTC and every tenant's zone), the rule that
 * invoices, reports and comparisons share.
 *
 * @example
 * ```ts
 * import { buildInvoices, formatInvoiceTable } from "./mod.ts";
 * import { loadPlans, loadTenants } from "../pricing/mod.ts";
 * const run = buildInvoices({ month: "2026-10", usage: [],
 *   plans: await loadPlans("data/plans.json"), tenants: await loadTenants("data/tenants.json") });
 * console.log(formatInvoiceTable(run));
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./period.ts";
export { buildInvoices, type BuildInvoicesInput, toInvoice } from "./build.ts";
export * from "./tier_fit.ts";
export { INVOICE_CSV_COLUMNS, invoicesCsv } from "./csv.ts";
export { formatInvoiceTable, formatTierFitTable } from "./table.ts";
export * from "./write.ts";
export * from "./source.ts";
export * from "./month_end.ts";
export * from "./open_month.ts";
