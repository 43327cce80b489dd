/**
 * Seeded sample data for chart examples and golden tests: five tenants over
 * twelve months (dept_a the heavy EnKF user), and a comparison of those
 * months under plans shaped like data/plans.json, priced by a small local
 * pricer so that the golden SVGs do not depend on the pricing engine.
 *
 * @module
 */
import seedrandom from "seedrandom";
import { backtest } from "../compare/backtest.ts";
import type { CompareResult, CompareUsageRow } from "../compare/types.ts";

const TENANTS: Record<string, { api: number; enkf: number; reports: number }> = {
  dept_a: { api: 4000, enkf: 250, reports: 60 },
  dept_b: { api: 3000, enkf: 50, reports: 40 },
  dept_c: { api: 1500, enkf: 30, reports: 20 },
  dept_d: { api: 800, enkf: 20, reports: 30 },
  dept_e: { api: 300, enkf: 8, reports: 10 },
};

/** Twelve months, 2025-11 to 2026-10. */
export const SAMPLE_MONTHS = [
  "2025-11",
  "2025-12",
  "2026-01",
  "2026-02",
  "2026-03",
  "2026-04",
  "2026-05",
  "2026-06",
  "2026-07",
  "2026-08",
  "2026-09",
  "2026-10",
];

/**
 * Monthly usage rows (like the warehouse's usageByMonth()), seeded.
 *
 * @example
 * ```ts
 * import { sampleUsage } from "./fixture_data.ts";
 * sampleUsage().length; // 180 (5 tenants x 12 months x 3 event types)
 * ```
 */
export function sampleUsage(seed = "meterbook-charts"): CompareUsageRow[] {
  const rng = seedrandom(seed);
  const rows: CompareUsageRow[] = [];
  SAMPLE_MONTHS.forEach((month, i) => {
    const season = 1 + 0.25 * Math.sin((i / 12) * 2 * Math.PI) + 0.03 * i;
    for (const [tenant, size] of Object.entries(TENANTS)) {
      const n = (base: number) => Math.max(1, Math.round(base * season * (0.8 + 0.4 * rng())));
      const api = n(size.api);
      const enkf = n(size.enkf);
      const reports = n(size.reports);
      rows.push(
        {
          month,
          tenant_id: tenant,
          event_type: "api_call",
          events: api,
          compute_units: (api * 0.0055).toFixed(6),
        },
        {
          month,
          tenant_id: tenant,
          event_type: "enkf_run",
          events: enkf,
          compute_units: (enkf * (4 + 3 * rng())).toFixed(6),
        },
        {
          month,
          tenant_id: tenant,
          event_type: "report_gen",
          events: reports,
          compute_units: (reports * 0.3).toFixed(6),
        },
      );
    }
  });
  return rows.sort((a, b) =>
    a.month < b.month
      ? -1
      : a.month > b.month
      ? 1
      : a.tenant_id! < b.tenant_id!
      ? -1
      : a.tenant_id! > b.tenant_id!
      ? 1
      : a.event_type < b.event_type
      ? -1
      : 1
  );
}

const cents = (x: number) => Math.round(x * 100);

/**
 * A comparison of {@linkcode sampleUsage} under six plans shaped like
 * data/plans.json (flat $2,000; usage $0.10 per EnKF run; hybrid $500 + $0.05
 * per CU; starter/professional/enterprise with included units).
 */
export function sampleComparison(): CompareResult {
  return backtest({
    usage: sampleUsage(),
    plans: ["flat", "usage", "hybrid", "starter", "professional", "enterprise"].map((id) => ({
      id,
      name: id,
    })),
    price: (plan, rows) => {
      const cu = rows.reduce((s, r) => s + Number(r.compute_units), 0);
      const runs = rows.filter((r) => r.event_type === "enkf_run").reduce(
        (s, r) => s + r.events,
        0,
      );
      const over = (included: number, price: number) => Math.max(0, cu - included) * price;
      const total = {
        flat: 2000,
        usage: runs * 0.1 * 40,
        hybrid: 500 + cu * 0.05 * 10,
        starter: 500 + over(100, 0.1) * 10,
        professional: 1500 + over(500, 0.05) * 10,
        enterprise: 4000 + over(2000, 0.03) * 10,
      }[plan]!;
      return { total_minor: cents(total), currency: "USD" };
    },
    currentPlans: {
      dept_a: "hybrid",
      dept_b: "hybrid",
      dept_c: "hybrid",
      dept_d: "professional",
      dept_e: "usage",
    },
    costs: { currency: "USD", cost_per_compute_unit: "0.50", cost_per_api_call: "0.001" },
  });
}
