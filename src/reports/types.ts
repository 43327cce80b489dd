/**
 * What a report is built from: plain data gathered from the warehouse,
 * pricing, invoices and comparison (see `collect.ts`), so that the rendering
 * is pure and testable with fixtures.
 *
 * @module
 */
import type { CompareResult } from "../compare/types.ts";

/** One usage rollup row (the warehouse's `UsageRow`). */
export interface ReportUsageRow {
  month?: string;
  tenant_id: string | null;
  event_type: string;
  events: number;
  /** Exact decimal text, e.g. "12.345678". */
  compute_units: string;
}

/** Data-quality counts for the month (the warehouse's `dataQuality`). */
export interface ReportDataQuality {
  quarantined: number;
  duplicates: number;
  late: number;
  unauthenticated: number;
}

/** One invoice line (issue 3 JSON). */
export interface ReportInvoiceLine {
  description: string;
  /** Decimal text. */
  quantity: string;
  /** Decimal text in major units. */
  unit_price: string;
  amount_minor: number;
}

/** One invoice (issue 3 JSON). */
export interface ReportInvoice {
  number: string;
  tenant_id: string;
  plan: string;
  currency: string;
  period_start: string;
  period_end: string;
  lines: ReportInvoiceLine[];
  subtotal_minor: number;
  total_minor: number;
}

/** A tenant as the report shows it. */
export interface ReportTenant {
  id: string;
  name: string;
  plan?: string;
  currency?: string;
  billing?: { address?: string; email?: string; [key: string]: unknown };
  /** IANA zone the tenant's billing month is cut in (default UTC). */
  time_zone?: string;
}

/** Who sends the invoices. */
export interface Issuer {
  name: string;
  /** Address lines, email, tax id...: each printed on its own line. */
  lines: string[];
  /** Payment terms printed under the lines. */
  terms?: string;
  /** Invoice due this many days after the issue date (default 30). */
  due_days?: number;
}

/** The pricing comparison for the month: every tenant priced under every plan. */
export interface ReportComparison {
  currency: string;
  /** Plan ids, in column order. */
  plans: string[];
  rows: Array<{
    tenant_id: string;
    current_plan: string;
    /** plan id -> total in minor units (absent: not priceable). */
    totals: Record<string, number>;
  }>;
  /** compare.csv's full text (every tenant-month under every plan); default derived from `rows`. */
  csvText?: string;
  /** compare.json's full text (written when given). */
  jsonText?: string;
  /** Definitions or notes printed under the table. */
  notes?: string[];
  /**
   * The back-test over the history (compare()'s result), for the per-plan
   * axes, the movers and the tier-fit impact; absent: those tables are left out.
   */
  history?: ReportCompareHistory;
}

/** The parts of compare()'s result the report prints beyond the month's table. */
export type ReportCompareHistory = Pick<
  CompareResult,
  "from" | "to" | "months" | "plans" | "movers" | "tier_fit" | "definitions" | "notes" | "tenants"
>;

/** How well each tenant's plan fits its usage. */
export interface ReportTierFit {
  header: Array<{ label: string; num?: boolean }>;
  rows: Array<Array<{ text: string; num?: boolean }>>;
  caption: string;
}

/** Revenue minus cost to serve, per tenant. */
export interface ReportMargin {
  currency: string;
  rows: Array<{
    tenant_id: string;
    revenue_minor: number;
    cost_minor: number;
    compute_units: string;
    /** The tenant's current plan (marks its column in the per-plan table). */
    current_plan?: string;
    /** Revenue under each plan minus the cost, by plan id, minor units. */
    margin_by_plan?: Record<string, number>;
  }>;
  caption: string;
  /** Plan ids of the per-plan margin table, in column order (absent: no such table). */
  plans?: string[];
}

/** A chart to inline in the report and write to charts/<name>.svg and .png. */
export interface ReportChart {
  /** File stem under charts/ (letters, digits, `_`, `-`). */
  name: string;
  title: string;
  svg: string;
  /** Where the chart goes in the report. */
  placement: "summary" | "usage" | "compare" | "charts";
  caption?: string;
  width?: number;
  height?: number;
}

/** A chart left out of the report, and why (printed in the charts section). */
export interface ReportOmittedChart {
  name: string;
  title: string;
  /** Why, as a sentence fragment: "needs at least 2 months of history (this store has 1)". */
  reason: string;
}

/** The inputs a manifest records. */
export interface ReportInputsManifest {
  /** `{ scenario, seed }` for generated demo data, or the store and its files. */
  source:
    | {
      kind: "scenario";
      scenario: string;
      seed: number;
      /** The scenario file the events were generated from, and its sha256. */
      path?: string;
      sha256?: string | null;
    }
    | { kind: "store"; store: string; files: Array<{ path: string; sha256: string }> };
  files: Array<{ role: string; path: string; sha256: string | null }>;
}

/** Everything a report renders. */
export interface ReportInput {
  month: string;
  /** Why this is demo data (shown on every page and invoice), or null for real data. */
  demo: string | null;
  /**
   * Why the figures are provisional (the month has not ended; shown on every
   * page and invoice), or null (absent) for an ended month.
   */
  provisional?: string | null;
  /** The month's usage rows. */
  usage: ReportUsageRow[];
  /** The month before's usage rows (for "change on last month"). */
  previousUsage: ReportUsageRow[];
  /** Usage per month over the store (for trend charts). */
  history: ReportUsageRow[];
  quality: ReportDataQuality | null;
  tenants: Record<string, ReportTenant>;
  /** Plan id -> display name (default: the id). */
  planNames?: Record<string, string>;
  invoices: ReportInvoice[] | null;
  previousInvoices: ReportInvoice[] | null;
  /** invoices.json and invoices.csv as the invoices module writes them (default: derived here). */
  invoiceFiles?: { json: string; csv: string };
  /** Events no invoice covers (no tenant record, unknown plan...). */
  unbilled: Array<
    { tenant_id: string | null; events: number; compute_units: string; reason: string }
  >;
  comparison: ReportComparison | null;
  tierFit: ReportTierFit | null;
  margin: ReportMargin | null;
  charts: ReportChart[];
  /** Charts left out, with the reason (default none). */
  omittedCharts?: ReportOmittedChart[];
  warnings: string[];
  issuer: Issuer;
  inputs: ReportInputsManifest;
  /** meterbook's version (deno.json). */
  version: string;
}
