/**
 * Margin by tenant under each plan: revenue minus cost to serve, one bar per
 * plan, grouped by tenant (heaviest compute users first), each bar labelled
 * with its value to the dollar (`$1,955`, cents below $100).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type Chart, type ChartSizeOptions, frame, layout, renderPlot } from "./chart.ts";
import { compactMoney, majorUnits, valueMoney } from "./format.ts";
import { planScale, scaleLegend } from "./palette.ts";

/** What {@linkcode marginChart} reads (compare()'s result fits). */
export interface MarginInput {
  currency: string;
  exponent: number;
  plan_ids: readonly string[];
  tenants: readonly {
    tenant_id: string;
    current_plan: string | null;
    compute_share: number;
    cost_minor?: number;
    margin_minor: Record<string, number>;
  }[];
}

/** A share as a percentage with enough digits to be non-zero: 61%, 4.2%, 0.13%. */
export function sharePercent(share: number): string {
  const p = share * 100;
  if (p === 0) return "0%";
  return `${p.toFixed(p >= 9.95 ? 0 : p >= 0.995 ? 1 : 2)}%`;
}

/** Options of {@linkcode marginChart}. */
export interface MarginOptions extends ChartSizeOptions {
  title?: string;
  subtitle?: string;
  /** At most this many tenants, the heaviest compute users (default 8). */
  maxTenants?: number;
}

/**
 * Margin per tenant under each plan, tenants ordered by their share of compute.
 *
 * @example
 * ```ts
 * import { marginChart } from "./margin.ts";
 * const chart = marginChart({
 *   currency: "USD", exponent: 2, plan_ids: ["flat", "usage"],
 *   tenants: [{ tenant_id: "dept_a", current_plan: "flat", compute_share: 0.6,
 *     margin_minor: { flat: -50000, usage: 120000 } }],
 * });
 * ```
 */
export function marginChart(input: MarginInput, options: MarginOptions = {}): Chart {
  const max = options.maxTenants ?? 8;
  const tenants = [...input.tenants]
    .sort((a, b) => b.compute_share - a.compute_share || (a.tenant_id < b.tenant_id ? -1 : 1))
    .slice(0, max);
  const label = (t: (typeof tenants)[number]) =>
    [
      t.tenant_id,
      `${sharePercent(t.compute_share)} of compute`,
      ...(t.cost_minor === undefined
        ? []
        : [`cost ${valueMoney(majorUnits(t.cost_minor, input.exponent), input.currency)}`]),
      ...(t.current_plan ? [`on ${t.current_plan}`] : []),
    ].join("\n");
  const data = tenants.flatMap((t) =>
    input.plan_ids.map((plan) => ({
      tenant: label(t),
      plan,
      margin: majorUnits(t.margin_minor[plan] ?? 0, input.exponent),
    }))
  );
  const colors = planScale(input.plan_ids);
  const hidden = input.tenants.length - tenants.length;
  const frameOptions = {
    ...options,
    title: options.title ?? "Margin by tenant under each plan (revenue - cost to serve)",
    subtitle: options.subtitle ??
      `${input.currency}, over the months compared; heaviest compute users first${
        hidden > 0 ? ` (${hidden} smaller tenants not shown)` : ""
      }`,
    legend: scaleLegend("Plan", colors),
  };
  const l = layout(frameOptions);
  const fs = l.fontSize;
  // Value labels only when each bar is tall enough to carry one.
  const barHeight = l.plotHeight / Math.max(1, tenants.length * (input.plan_ids.length + 1));
  const labels = barHeight >= fs * 0.8;
  const body = renderPlot({
    width: l.width,
    height: l.plotHeight,
    marginTop: fs * 1.5,
    marginRight: fs * 5,
    marginBottom: fs * 3.2,
    marginLeft: fs * 11,
    x: {
      label: `Margin (${input.currency}) →`,
      labelAnchor: "center",
      grid: true,
      nice: true,
      tickFormat: (d: number) => compactMoney(d, input.currency),
    },
    y: { axis: null, domain: [...input.plan_ids], padding: 0.12 },
    fy: { label: null, domain: tenants.map(label), padding: 0.18 },
    color: colors,
    marks: [
      Plot.axisFy({ anchor: "left", label: null, tickSize: 0, textAnchor: "end", dx: -fs * 0.5 }),
      Plot.barX(data, {
        x: "margin",
        y: "plan",
        fy: "tenant",
        fill: "plan",
        title: (d: { tenant: string; plan: string; margin: number }) =>
          `${d.tenant.split("\n")[0]} on ${d.plan}: ${valueMoney(d.margin, input.currency)}`,
      }),
      Plot.text(data, {
        x: "margin",
        y: "plan",
        fy: "tenant",
        text: (d: { margin: number }) => valueMoney(d.margin, input.currency),
        textAnchor: "start",
        dx: fs * 0.3,
        fontSize: fs * 0.75,
        fill: "#333",
        filter: (d: { margin: number }) => labels && d.margin >= 0,
      }),
      Plot.text(data, {
        x: "margin",
        y: "plan",
        fy: "tenant",
        text: (d: { margin: number }) => valueMoney(d.margin, input.currency),
        textAnchor: "end",
        dx: -fs * 0.3,
        fontSize: fs * 0.75,
        fill: "#b00",
        filter: (d: { margin: number }) => labels && d.margin < 0,
      }),
      Plot.ruleX([0], { stroke: "#222" }),
    ],
  }, fs);
  return frame(body, frameOptions);
}
