/**
 * Reports: the monthly report job ({@linkcode runReport}, behind `deno task
 * report`), its parts for notebooks and other tools ({@linkcode
 * collectReportInput} gathers a month, {@linkcode writeReport} writes the
 * folder atomically), the eta templates, and the helpers behind them (month
 * arithmetic, safe output paths, CSV, SHA-256).
 *
 * @example
 * ```ts ignore
 * import { runReport } from "./mod.ts";
 * const result = await runReport({
 *   store: "data/events", plans: "data/plans.json", tenants: "data/tenants.json",
 *   out: "reports", now: new Date(),
 * });
 * ```
 *
 * @module
 */
export type {
  Issuer as ReportIssuer,
  ReportChart,
  ReportCompareHistory,
  ReportComparison,
  ReportDataQuality,
  ReportInput,
  ReportInputsManifest,
  ReportInvoice,
  ReportInvoiceLine,
  ReportMargin,
  ReportOmittedChart,
  ReportTenant,
  ReportTierFit,
  ReportUsageRow,
} from "./types.ts";
export {
  METERBOOK_VERSION,
  REPORT_DEMO_SCENARIO,
  runReport,
  type RunReportOptions,
  type RunReportResult,
} from "./report.ts";
export {
  type CollectOptions,
  collectReportInput,
  type ReportWarehouse,
  resolveReportMonth,
} from "./collect.ts";
export {
  type ManifestEntry,
  type ReportFormat,
  writeReport,
  type WriteReportOptions,
  type WriteReportResult,
} from "./write.ts";
export { loadTemplates, type Templates, TEMPLATES_DIR } from "./templates.ts";
export { type InvoiceView, invoiceView, type ReportView, reportView } from "./view.ts";
export { DEFAULT_ISSUER, loadIssuer } from "./issuer.ts";
export {
  type AtomicFolderOptions,
  LockTimeoutError,
  recoverFolder,
  writeFolderAtomically,
} from "./atomic.ts";
export { checkOutFolder } from "./out_dir.ts";
export {
  AXIS_LIMITS,
  type CompareHistoryView,
  compareHistoryView,
  marginByPlanView,
  type ViewTable,
} from "./view_compare.ts";
export { safeJoin, tenantFileStem } from "./paths.ts";
