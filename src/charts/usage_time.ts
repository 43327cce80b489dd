/**
 * Usage over time per tenant: one small panel per tenant, compute units per
 * month (or day) stacked by event type. Each panel has its own y scale, so
 * that a tenant using 1% of the largest one's compute still shows its shape
 * (the stacked usage chart compares tenants with each other).
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
import { monthDate } from "./format.ts";
import { eventTypeScale, scaleLegend } from "./palette.ts";
import { CHART_NO_TENANT, groupChartTenants, groupedTenantsNote } from "./usage_stacked.ts";

/** A usage row per month (`usageByMonth()`) or per day (`dailyUsage()`). */
export interface UsageTimeRow {
  month?: string;
  day?: string;
  tenant_id: string | null;
  event_type: string;
  events: number;
  compute_units: string | number;
}

/** Options of {@linkcode usageOverTimeChart}. */
export interface UsageOverTimeOptions extends ChartSizeOptions {
  measure?: "compute_units" | "events";
  title?: string;
  subtitle?: string;
  /** At most this many tenant panels; smaller tenants are averaged into the last (default 6). */
  maxTenants?: number;
}

/**
 * Usage per tenant over time, stacked by event type, one panel per tenant.
 *
 * @example
 * ```ts
 * import { usageOverTimeChart } from "./usage_time.ts";
 * const chart = usageOverTimeChart([
 *   { month: "2026-09", tenant_id: "dept_a", event_type: "enkf_run", events: 9, compute_units: "40" },
 *   { month: "2026-10", tenant_id: "dept_a", event_type: "enkf_run", events: 12, compute_units: "55" },
 * ]);
 * ```
 */
export function usageOverTimeChart(
  rows: readonly UsageTimeRow[],
  options: UsageOverTimeOptions = {},
): Chart {
  const measure = options.measure ?? "compute_units";
  const unit = measure === "events" ? "Events" : "Compute units";
  const value = (r: UsageTimeRow) =>
    measure === "events" ? Number(r.events) : Number(r.compute_units);
  const period = (r: UsageTimeRow) => r.day ?? r.month ?? "";
  const daily = rows.some((r) => r.day !== undefined);

  const totals = new Map<string, number>();
  for (const r of rows) {
    const t = r.tenant_id ?? CHART_NO_TENANT;
    totals.set(t, (totals.get(t) ?? 0) + value(r));
  }
  const groups = groupChartTenants(totals, options.maxTenants ?? 6);
  const colors = eventTypeScale(rows.map((r) => r.event_type));
  const periods = [...new Set(rows.map(period))].sort();
  // A complete grid (tenant x period x type), so stacked areas drop to 0 where there is no usage.
  const cells = new Map<
    string,
    { tenant: string; date: Date; event_type: string; value: number }
  >();
  for (const tenant of groups.order) {
    for (const p of periods) {
      for (const type of colors.domain) {
        cells.set(`${tenant}\u0000${p}\u0000${type}`, {
          tenant,
          date: daily ? new Date(`${p}T00:00:00Z`) : monthDate(p),
          event_type: type,
          value: 0,
        });
      }
    }
  }
  for (const r of rows) {
    const key = `${groups.label(r.tenant_id ?? CHART_NO_TENANT)}\u0000${
      period(r)
    }\u0000${r.event_type}`;
    cells.get(key)!.value += value(r);
  }
  if (groups.other) {
    for (const cell of cells.values()) {
      if (cell.tenant === groups.other) cell.value /= groups.otherCount;
    }
  }
  const data = [...cells.values()];
  const span = periods.length > 0 ? `${periods[0]} to ${periods[periods.length - 1]}` : undefined;
  const frameOptions = {
    ...options,
    title: options.title ?? `${unit} per tenant over time`,
    subtitle: options.subtitle ??
      [
        span ? `${span}, per ${daily ? "day" : "month"}` : undefined,
        groupedTenantsNote(groups),
      ].filter(Boolean).join("; "),
    legend: scaleLegend("Event type", colors),
  };
  const l = layout(frameOptions);
  const fs = l.fontSize;
  const n = Math.max(1, groups.order.length);
  const top = fs * 1.5; // the y-axis label above the first panel
  const axis = fs * 3; // the x axis under the last panel
  const gap = fs;
  const inner = Math.max(fs * 2, (l.plotHeight - top - axis - gap * (n - 1)) / n);
  const dates = periods.map((p) => daily ? new Date(`${p}T00:00:00Z`) : monthDate(p));
  const panels: string[] = [];
  let y = 0;
  groups.order.forEach((tenant, i) => {
    const first = i === 0;
    const last = i === groups.order.length - 1;
    const height = inner + (first ? top : 0) + (last ? axis : 0);
    const svg = renderPlot({
      width: l.width,
      height,
      marginTop: first ? top : 0,
      marginRight: fs * (groups.other ? 10 : 7),
      marginBottom: last ? axis : 0,
      marginLeft: fs * 5,
      x: {
        type: "utc",
        domain: dates.length > 0 ? [dates[0], dates[dates.length - 1]] : undefined,
        inset: fs * 0.5,
        axis: last ? "bottom" : null,
        label: daily ? "Day" : "Month",
        labelAnchor: "center",
        tickFormat: daily ? undefined : (d: Date) => d.toISOString().slice(0, 7),
        ticks: !daily && periods.length <= 13 ? dates : undefined,
      },
      y: {
        label: first
          ? `↑ ${unit}${measure === "events" ? "" : " (CU)"}, each panel its own scale`
          : null,
        labelAnchor: "top",
        // Keeps the top tick label clear of the panel above.
        insetTop: fs * 0.6,
        grid: true,
        nice: true,
        ticks: Math.max(2, Math.min(4, Math.floor(inner / (fs * 1.6)))),
        tickFormat: (d: number) => formatNumber(d, 1),
      },
      color: colors,
      marks: [
        Plot.frame({ stroke: "#ddd" }),
        Plot.areaY(data.filter((d) => d.tenant === tenant), {
          x: "date",
          y: "value",
          fill: "event_type",
          order: colors.domain,
          title: (d: { event_type: string }) => d.event_type,
        }),
        Plot.ruleY([0]),
        Plot.text([tenant], {
          frameAnchor: "right",
          textAnchor: "start",
          dx: fs * 0.6,
          fontWeight: 600,
          lineHeight: 1.1,
        }),
      ],
    }, fs);
    // Each panel as a group at its offset (its own <svg> root would be sized by Plot's CSS).
    panels.push(
      svg.replace(
        /^<svg ([^>]*)>/,
        (_m, attrs: string) =>
          `<g transform="translate(0,${Math.round(y * 10) / 10})" ${
            attrs.replace(/\s(?:width|height|viewBox)="[^"]*"/g, "")
          }>`,
      ).replace(/<\/svg>$/, "</g>"),
    );
    y += height + gap;
  });
  const height = Math.round(l.plotHeight);
  const body = `<svg width="${l.width}" height="${height}" viewBox="0 0 ${l.width} ${height}">${
    panels.join("")
  }</svg>`;
  return frame(body, frameOptions);
}
