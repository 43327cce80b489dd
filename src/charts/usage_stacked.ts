/**
 * The seed's chart: usage per tenant, stacked by event type.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  type Chart,
  type ChartSizeOptions,
  formatNumber,
  frame,
  layout,
  renderPlot,
} from "./chart.ts";
import { eventTypeScale, scaleLegend } from "./palette.ts";

/**
 * A usage rollup row, as the warehouse's `usage()` / `usageByMonth()` return
 * them (`UsageRow`); `compute_units` may be a decimal string or a number.
 */
export interface UsageChartRow {
  month?: string;
  tenant_id: string | null;
  event_type: string;
  events: number;
  compute_units: string | number;
}

/** Options of {@linkcode usageStackedChart}. */
export interface UsageStackedOptions extends ChartSizeOptions {
  /** What the bar height measures (default `compute_units`). */
  measure?: "compute_units" | "events";
  /** Title (default "Compute units by tenant and event type"). */
  title?: string;
  /** Subtitle (default: the months the rows cover). */
  subtitle?: string;
  /** At most this many tenant bars; the smaller tenants are averaged into the last (default 12). */
  maxTenants?: number;
}

/** The label of events without a tenant (refused requests). */
export const CHART_NO_TENANT = "(no tenant)";

/** Describes the months covered by rows, like "2026-10" or "2025-11 to 2026-10". */
export function usageMonthSpan(rows: readonly { month?: string }[]): string | undefined {
  const months = [...new Set(rows.map((r) => r.month).filter((m): m is string => !!m))].sort();
  if (months.length === 0) return undefined;
  return months.length === 1 ? months[0] : `${months[0]} to ${months[months.length - 1]}`;
}

/** Tenants grouped for a chart: the largest by name, the rest as one averaged group. */
export interface ChartTenantGroups {
  /** tenant -> its label (itself, or the "others" label). */
  label: (tenant: string) => string;
  /** Labels in display order: tenant ids in order, the "others" group last. */
  order: string[];
  /** The "others" label, or null when every tenant is shown. */
  other: string | null;
  /** How many tenants the "others" group holds (its values are divided by this). */
  otherCount: number;
}

/**
 * Keeps the `max - 1` largest tenants (by total) and groups the rest into one
 * "others (mean of N)" label, whose values the charts divide by N so that the
 * group stays on the same scale as a single tenant.
 *
 * @example
 * ```ts
 * import { groupChartTenants } from "./usage_stacked.ts";
 * const g = groupChartTenants(new Map([["a", 9], ["b", 1], ["c", 2]]), 2);
 * g.order; // ["a", "others\n(mean of 2)"]
 * ```
 */
export function groupChartTenants(totals: Map<string, number>, max: number): ChartTenantGroups {
  const tenants = [...totals.keys()].sort();
  if (tenants.length <= max) {
    return { label: (t) => t, order: tenants, other: null, otherCount: 0 };
  }
  const keep = new Set(
    [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max - 1)
      .map(([t]) => t),
  );
  const otherCount = tenants.length - keep.size;
  const other = `others\n(mean of ${otherCount})`;
  return {
    label: (t) => (keep.has(t) ? t : other),
    order: [...[...keep].sort(), other],
    other,
    otherCount,
  };
}

/**
 * The subtitle note of a chart whose smaller tenants are grouped: "the N
 * largest tenants, and the mean of the other M", or undefined when every
 * tenant is shown.
 */
export function groupedTenantsNote(groups: ChartTenantGroups): string | undefined {
  return groups.other
    ? `the ${
      groups.order.length - 1
    } largest tenants, and the mean of the other ${groups.otherCount}`
    : undefined;
}

/**
 * Usage per tenant as stacked bars, one colour per event type.
 *
 * @example
 * ```ts
 * import { usageStackedChart } from "./usage_stacked.ts";
 * const chart = usageStackedChart([
 *   { month: "2026-10", tenant_id: "dept_a", event_type: "api_call", events: 10, compute_units: "0.050000" },
 *   { month: "2026-10", tenant_id: "dept_a", event_type: "enkf_run", events: 2, compute_units: "11.000000" },
 * ]);
 * chart.svg.includes("dept_a"); // true
 * ```
 */
export function usageStackedChart(
  rows: readonly UsageChartRow[],
  options: UsageStackedOptions = {},
): Chart {
  const measure = options.measure ?? "compute_units";
  const unit = measure === "events" ? "Events" : "Compute units";
  const title = options.title ?? `${unit} by tenant and event type`;
  const value = (r: UsageChartRow) =>
    measure === "events" ? Number(r.events) : Number(r.compute_units);

  const tenantTotals = new Map<string, number>();
  for (const r of rows) {
    const t = r.tenant_id ?? CHART_NO_TENANT;
    tenantTotals.set(t, (tenantTotals.get(t) ?? 0) + value(r));
  }
  const groups = groupChartTenants(tenantTotals, options.maxTenants ?? 12);
  const cells = new Map<string, { tenant: string; event_type: string; value: number }>();
  for (const r of rows) {
    const tenant = groups.label(r.tenant_id ?? CHART_NO_TENANT);
    const key = `${tenant}\u0000${r.event_type}`;
    const cell = cells.get(key) ?? { tenant, event_type: r.event_type, value: 0 };
    cell.value += value(r);
    cells.set(key, cell);
  }
  if (groups.other) {
    for (const cell of cells.values()) {
      if (cell.tenant === groups.other) cell.value /= groups.otherCount;
    }
  }
  const data = [...cells.values()];
  const totals = groups.order.map((tenant) => ({
    tenant,
    value: data.filter((d) => d.tenant === tenant).reduce((s, d) => s + d.value, 0),
  }));
  const colors = eventTypeScale(data.map((d) => d.event_type));
  const frameOptions = {
    ...options,
    title,
    subtitle: options.subtitle ??
      [
        usageMonthSpan(rows),
        groupedTenantsNote(groups),
      ].filter(Boolean).join("; "),
    legend: scaleLegend("Event type", colors),
  };
  const l = layout(frameOptions);
  const fs = l.fontSize;
  const digits = measure === "events" ? 0 : 1;
  const body = renderPlot({
    width: l.width,
    height: l.plotHeight,
    marginLeft: fs * 6,
    marginBottom: fs * (groups.other ? 4.2 : 3),
    marginTop: fs * 2.2,
    marginRight: fs * 2,
    x: { label: "Tenant", domain: groups.order, padding: 0.25, tickSize: 0 },
    y: { label: `${unit}${measure === "events" ? "" : " (CU)"}`, grid: true, nice: true },
    color: colors,
    marks: [
      Plot.barY(data, {
        x: "tenant",
        y: "value",
        fill: "event_type",
        order: colors.domain,
        title: (d: { tenant: string; event_type: string; value: number }) =>
          `${d.tenant} · ${d.event_type}: ${formatNumber(d.value, 3)}`,
      }),
      Plot.ruleY([0]),
      Plot.text(totals, {
        x: "tenant",
        y: "value",
        text: (d: { value: number }) => formatNumber(d.value, digits),
        dy: -fs * 0.8,
        fontWeight: 600,
      }),
    ],
  }, fs);
  return frame(body, frameOptions);
}
