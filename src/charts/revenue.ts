/**
 * Revenue by plan over months: one line per plan, had every tenant been on
 * it, each line end labelled with the plan and its last month's revenue. A
 * plan too small to tell from $0 at the chart's scale is named in a note.
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
import { compactMoney, majorUnits, monthDate, valueMoney } from "./format.ts";
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
  // Plans whose line cannot be told from the $0 line (under 2% of the largest value).
  const peak = (plan: string) =>
    Math.max(0, ...data.filter((d) => d.plan === plan).map((d) => d.revenue));
  const top = Math.max(0, ...input.plan_ids.map(peak));
  const flat = top > 0
    ? input.plan_ids.filter((p) => peak(p) < top * 0.02 && data.some((d) => d.plan === p))
    : [];
  const frameOptions = {
    ...options,
    title: options.title ?? "Revenue by plan per month (every tenant on the plan)",
    subtitle: options.subtitle ??
      (months.length > 0
        ? `${months[0]} to ${months[months.length - 1]}, ${input.currency}`
        : undefined),
    legend: scaleLegend("Plan", colors, "line"),
    note: flat.length > 0
      ? `Near the ${compactMoney(0, input.currency)} line at this scale: ${
        flat.map((p) => `${p} (at most ${valueMoney(peak(p), input.currency)} a month)`).join(", ")
      }.`
      : undefined,
  };
  const l = layout(frameOptions);
  const fs = l.fontSize;
  const last = months[months.length - 1];
  const ends = data.filter((d) => d.month === last).map((d) => ({
    ...d,
    label: `${d.plan} ${valueMoney(d.revenue, input.currency)}`,
  }));
  const inset = fs;
  // Room on the right for the longest end label (about 0.6 em per character).
  const marginRight = Math.max(fs * 6, ...ends.map((d) => d.label.length * fs * 0.6 + fs * 1.5));
  // Plan names at the line ends, spread vertically so close lines keep readable labels.
  const endLabels: Overlay = (scale) => {
    const x = scale("x");
    const y = scale("y");
    const placed = spreadVertically(ends.map((d) => y.apply(d.revenue)), fs * 1.2);
    return `<g fill="#222" text-anchor="start">${
      ends.map((d, i) =>
        // Past the plot's right edge (the line end + the inset), clear of the $0 rule.
        `<text x="${Math.round(x.apply(d.date) + inset + fs * 0.4)}" y="${
          Math.round(placed[i] * 10) / 10
        }" dy="0.35em">${escapeXml(d.label)}</text>`
      ).join("")
    }</g>`;
  };
  const body = renderPlot(
    {
      width: l.width,
      height: l.plotHeight,
      marginTop: fs * 2,
      marginRight,
      marginBottom: fs * 3,
      marginLeft: fs * 5.5,
      x: {
        type: "utc",
        inset,
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
