/**
 * A warehouse stand-in over fixed rollup rows, for report tests that do not
 * need DuckDB.
 *
 * @module
 */
import type { ReportWarehouse } from "../../src/reports/collect.ts";
import type { ReportUsageRow } from "../../src/reports/types.ts";

/** Serves `rows` (each with a month) the way the warehouse's rollups do. */
export class MemoryWarehouse implements ReportWarehouse {
  constructor(readonly rows: ReportUsageRow[], readonly store = "memory") {}
  months(): Promise<string[]> {
    return Promise.resolve([...new Set(this.rows.map((r) => r.month!))].sort());
  }
  usage(month: string): Promise<ReportUsageRow[]> {
    return Promise.resolve(
      this.rows.filter((r) => r.month === month).map(({ month: _m, ...r }) => ({ month, ...r })),
    );
  }
  usageByMonth(
    options: { from?: string; to?: string } = {},
  ): Promise<Array<ReportUsageRow & { month: string }>> {
    return Promise.resolve(
      this.rows.filter((r) =>
        (!options.from || r.month! >= options.from) && (!options.to || r.month! <= options.to)
      ).map((r) => ({ ...r, month: r.month! })),
    );
  }
  dataQuality(): Promise<
    { quarantined: number; duplicates: number; late: number; unauthenticated: number }
  > {
    return Promise.resolve({ quarantined: 1, duplicates: 2, late: 0, unauthenticated: 0 });
  }
}

/** Rows for dept_a..dept_c over 2026-08..2026-10, plus an unknown tenant. */
export function sampleRows(): ReportUsageRow[] {
  const rows: ReportUsageRow[] = [];
  const months = ["2026-08", "2026-09", "2026-10"];
  months.forEach((month, i) => {
    const g = 1 + i * 0.1;
    rows.push(
      {
        month,
        tenant_id: "dept_a",
        event_type: "api_call",
        events: Math.round(900 * g),
        compute_units: (4.5 * g).toFixed(6),
      },
      {
        month,
        tenant_id: "dept_a",
        event_type: "enkf_run",
        events: Math.round(300 * g),
        compute_units: (1650 * g).toFixed(6),
      },
      {
        month,
        tenant_id: "dept_b",
        event_type: "api_call",
        events: Math.round(400 * g),
        compute_units: (2 * g).toFixed(6),
      },
      {
        month,
        tenant_id: "dept_b",
        event_type: "enkf_run",
        events: Math.round(60 * g),
        compute_units: (330 * g).toFixed(6),
      },
      {
        month,
        tenant_id: "dept_c",
        event_type: "report_gen",
        events: 40,
        compute_units: "12.000000",
      },
    );
  });
  rows.push({
    month: "2026-10",
    tenant_id: "ghost",
    event_type: "api_call",
    events: 7,
    compute_units: "0.035000",
  });
  return rows;
}
