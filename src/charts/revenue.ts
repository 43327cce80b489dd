/**
 * Revenue by plan over months: one line per plan, had every tenant been on it.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  type Chart,
  type ChartSizeOptions,
  escapeXml,
  frame,
  layout,
  type Overlay,
  renderPlot,
  spreadVertically,
} from "./chart.ts";
import { compactMoney, majorUnits, monthDate } from "./format.ts";
import { planScale, scaleLegend } from "./palette.ts";

/** What {@linkcode revenueChart} reads (compare()'s result fits). */
export interface RevenueInput {
  currency: string;
  exponent: number;
  plan_ids: readonly string[];
  revenue_by_month: readonly { month: string; revenue_minor: Record<string, number> }[];
}

/** Options of {@linkcode revenueChart}. */
export interface RevenueOptions extends ChartSizeOptions {
  title?: string;
  subtitle?: string;
}

/**
 * Monthly revenue under each plan, every tenant on that plan.
 *
 * @example
 * ```ts
 * import { revenueChart } from "./revenue.ts";
 * const chart = revenueChart({
 *   currency: "USD", exponent: 2, plan_ids: ["flat"],
 *   revenue_by_month: [{ month: "2026-09", revenue_minor: { flat: 600000 } },
 *     { month: "2026-10", revenue_minor: { flat: 600000 } }],
 * });
 * ```
 */
export function revenueChart(input: RevenueInput, options: RevenueOptions = {}): Chart {
  const data = input.revenue_by_month.flatMap((m) =>
    input.plan_ids.map((plan) => ({
      plan,
      month: m.month,
      date: monthDate(m.month),
      revenue: majorUnits(m.revenue_minor[plan] ?? 0, input.exponent),
    }))
  );
  const colors = planScale(input.plan_ids);
  const months = input.revenue_by_month.map((m) => m.month);
  const frameOptions = {
    ...options,
    title: options.title ?? "Revenue by plan per month (every tenant on the plan)",
    subtitle: options.subtitle ??
      (months.length > 0
        ? `${months[0]} to ${months[months.length - 1]}, ${input.currency}`
        : undefined),
    legend: scaleLegend("Plan", colors, "line"),
  };
  const l = layout(frameOptions);
  const fs = l.fontSize;
  const last = months[months.length - 1];
  const ends = data.filter((d) => d.month === last);
  // Plan names at the line ends, spread vertically so close lines keep readable labels.
  const endLabels: Overlay = (scale) => {
    const x = scale("x");
    const y = scale("y");
    const placed = spreadVertically(ends.map((d) => y.apply(d.revenue)), fs * 1.2);
    return `<g fill="#222" text-anchor="start">${
      ends.map((d, i) =>
        `<text x="${Math.round(x.apply(d.date) + fs * 0.8)}" y="${
          Math.round(placed[i] * 10) / 10
        }" dy="0.35em">${escapeXml(d.plan)}</text>`
      ).join("")
    }</g>`;
  };
  const body = renderPlot(
    {
      width: l.width,
      height: l.plotHeight,
      marginTop: fs * 2,
      marginRight: fs * 9,
      marginBottom: fs * 3,
      marginLeft: fs * 5.5,
      x: {
        type: "utc",
        inset: fs,
        label: "Month",
        labelAnchor: "center",
        ticks: months.length <= 13 ? months.map(monthDate) : undefined,
        tickFormat: (d: Date) => d.toISOString().slice(0, 7),
      },
      y: {
        label: `↑ Revenue (${input.currency})`,
        grid: true,
        zero: true,
        nice: true,
        ticks: 8,
        tickFormat: (d: number) => compactMoney(d, input.currency),
      },
      color: colors,
      marks: [
        Plot.ruleY([0]),
        // One line per plan, the first widest: a plan whose revenue equals a later plan's shows
        // as a coloured edge around it instead of disappearing.
        ...input.plan_ids.map((plan, i) =>
          Plot.line(data.filter((d) => d.plan === plan), {
            x: "date",
            y: "revenue",
            stroke: "plan",
            strokeWidth: 2.5 +
              (input.plan_ids.length - 1 - i) * (3.5 / Math.max(1, input.plan_ids.length - 1)),
          })
        ),
        Plot.dot(data, {
          x: "date",
          y: "revenue",
          fill: "plan",
          r: fs * 0.3,
          title: (d: { plan: string; month: string; revenue: number }) =>
            `${d.plan} ${d.month}: ${compactMoney(d.revenue, input.currency)}`,
        }),
      ],
    },
    fs,
    endLabels,
  );
  return frame(body, frameOptions);
}
