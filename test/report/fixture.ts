/**
 * A small, hand-written report input for tests: three tenants over two
 * months, one with a hostile display name, invoices and a comparison.
 *
 * @module
 */
import { usageStackedChart } from "../../src/charts/mod.ts";
import type { ReportInput, ReportInvoice, ReportUsageRow } from "../../src/reports/types.ts";
import { DEFAULT_ISSUER } from "../../src/reports/issuer.ts";

/** The hostile display names the trust tests look for. */
export const SCRIPT_NAME = "<script>alert(1)</script>";
export const AMP_NAME = "O'Brien & Sons";

function usage(month: string, scale: number): ReportUsageRow[] {
  return [
    {
      month,
      tenant_id: "dept_a",
      event_type: "api_call",
      events: 120 * scale,
      compute_units: (0.6 * scale).toFixed(6),
    },
    {
      month,
      tenant_id: "dept_a",
      event_type: "enkf_run",
      events: 40 * scale,
      compute_units: (220.5 * scale).toFixed(6),
    },
    {
      month,
      tenant_id: "dept_b",
      event_type: "api_call",
      events: 80 * scale,
      compute_units: (0.4 * scale).toFixed(6),
    },
    { month, tenant_id: "dept_b", event_type: "report_gen", events: 10, compute_units: "3.250000" },
    { month, tenant_id: "x.evil", event_type: "enkf_run", events: 5, compute_units: "30.000000" },
  ];
}

function invoice(
  month: string,
  tenant: string,
  plan: string,
  lines: [string, string, string, number][],
): ReportInvoice {
  const subtotal = lines.reduce((s, l) => s + l[3], 0);
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return {
    number: `MB-${month.replace("-", "")}-${tenant}`,
    tenant_id: tenant,
    plan,
    currency: "USD",
    period_start: `${month}-01`,
    period_end: last,
    lines: lines.map(([description, quantity, unit_price, amount_minor]) => ({
      description,
      quantity,
      unit_price,
      amount_minor,
    })),
    subtotal_minor: subtotal,
    total_minor: subtotal,
  };
}

/** The fixture input for `month` (default 2026-10). */
export function fixtureInput(month = "2026-10"): ReportInput {
  const prev = month === "2026-10" ? "2026-09" : "2026-08";
  const rows = usage(month, 2);
  return {
    month,
    demo: null,
    usage: rows,
    previousUsage: usage(prev, 1),
    history: [...usage(prev, 1), ...rows],
    quality: { quarantined: 3, duplicates: 7, late: 2, unauthenticated: 4 },
    tenants: {
      dept_a: {
        id: "dept_a",
        name: SCRIPT_NAME,
        plan: "hybrid",
        billing: { address: "1 Main St\nRiverside", email: "ap@a.example" },
      },
      dept_b: { id: "dept_b", name: AMP_NAME, plan: "flat", billing: { address: "2 Harbor Rd" } },
      "x.evil": { id: "x.evil", name: "Evil <b>Corp</b>", plan: "usage" },
    },
    invoices: [
      invoice(month, "dept_a", "hybrid", [["Base fee", "1", "500.00", 50000], [
        "Compute units",
        "442.2",
        "0.05",
        2211,
      ]]),
      invoice(month, "dept_b", "flat", [["Platform fee", "1", "2000.00", 200000]]),
      invoice(month, "x.evil", "usage", [["EnKF runs", "5", "0.10", 50]]),
    ],
    previousInvoices: [
      invoice(prev, "dept_a", "hybrid", [["Base fee", "1", "500.00", 50000], [
        "Compute units",
        "221.1",
        "0.05",
        1106,
      ]]),
      invoice(prev, "dept_b", "flat", [["Platform fee", "1", "2000.00", 200000]]),
    ],
    unbilled: [],
    comparison: {
      currency: "USD",
      plans: ["flat", "usage", "hybrid"],
      rows: [
        {
          tenant_id: "dept_a",
          current_plan: "hybrid",
          totals: { flat: 200000, usage: 800, hybrid: 52211 },
        },
        {
          tenant_id: "dept_b",
          current_plan: "flat",
          totals: { flat: 200000, usage: 0, hybrid: 50041 },
        },
      ],
    },
    tierFit: null,
    margin: {
      currency: "USD",
      caption: "Revenue minus cost to serve at $0.02 per compute unit.",
      rows: [
        { tenant_id: "dept_a", revenue_minor: 52211, cost_minor: 884, compute_units: "442.200000" },
        { tenant_id: "dept_b", revenue_minor: 200000, cost_minor: 8, compute_units: "4.050000" },
      ],
    },
    charts: [{
      name: "usage_by_tenant",
      title: "Compute units by tenant and event type",
      svg: usageStackedChart(rows).svg,
      placement: "usage",
      caption: "Compute units stacked by tenant and event type.",
    }],
    warnings: [],
    issuer: DEFAULT_ISSUER,
    inputs: { source: { kind: "scenario", scenario: "fixture", seed: 1 }, files: [] },
    version: "0.0.0-test",
  };
}
