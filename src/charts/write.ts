/**
 * The comparison's chart set: built from a compare() result and the usage it
 * was computed on, and written as SVG files (and 1920x1080 PNGs when
 * Chromium is available).
 *
 * @module
 */
import { join } from "node:path";
import { Browser, findChromium } from "../browser/mod.ts";
import type { CompareResult } from "../compare/types.ts";
import type { Chart } from "./chart.ts";
import { refuseReportFolder } from "../compare/output.ts";
import { marginChart } from "./margin.ts";
import { CHART_NAMES } from "./names.ts";
import { chartPng } from "./png.ts";
import { revenueChart } from "./revenue.ts";
import { tradeoffChart } from "./tradeoff.ts";
import { type UsageChartRow, usageStackedChart } from "./usage_stacked.ts";
import { usageOverTimeChart } from "./usage_time.ts";

/** The charts of a comparison, by file name without extension ({@linkcode CHART_NAMES}). */
export interface ComparisonCharts {
  usage_by_tenant: Chart;
  usage_over_time: Chart;
  pricing_tradeoff: Chart;
  revenue_by_plan: Chart;
  margin_by_tenant: Chart;
}

/**
 * Every chart of a comparison: usage stacked by tenant and event type, usage
 * over time per tenant, the trade-off scatter, revenue by plan over months,
 * margin by tenant under each plan.
 *
 * @example
 * ```ts ignore
 * import { comparisonCharts } from "./write.ts";
 * const charts = comparisonCharts(result, usage);
 * charts.pricing_tradeoff; // displays inline in Jupyter
 * ```
 */
export function comparisonCharts(
  result: CompareResult,
  usage: readonly UsageChartRow[],
): ComparisonCharts {
  const inRange = usage.filter((r) =>
    r.month === undefined || (r.month >= result.from && r.month <= result.to)
  );
  return {
    [CHART_NAMES.usageByTenant]: usageStackedChart(inRange),
    [CHART_NAMES.usageOverTime]: usageOverTimeChart(inRange),
    [CHART_NAMES.pricingTradeoff]: tradeoffChart(result.plans),
    [CHART_NAMES.revenueByPlan]: revenueChart(result),
    [CHART_NAMES.marginByTenant]: marginChart(result),
  };
}

/**
 * Writes the comparison charts into `dir` as `<name>.svg`, and as
 * `<name>.png` (1920x1080) when Chromium is found. Refuses a `dir` inside a
 * report folder (its manifest would go stale).
 *
 * @example
 * ```ts ignore
 * import { writeComparisonCharts } from "./write.ts";
 * const { written } = await writeComparisonCharts(result, usage, "out/2026-10/charts");
 * ```
 */
export async function writeComparisonCharts(
  result: CompareResult,
  usage: readonly UsageChartRow[],
  dir: string,
): Promise<{ written: string[]; skippedPng?: string }> {
  await refuseReportFolder(dir); // dir or any folder above it
  await Deno.mkdir(dir, { recursive: true });
  const charts = comparisonCharts(result, usage);
  const written: string[] = [];
  for (const [name, chart] of Object.entries(charts)) {
    const path = join(dir, `${name}.svg`);
    await Deno.writeTextFile(`${path}.tmp`, chart.svg);
    await Deno.rename(`${path}.tmp`, path);
    written.push(path);
  }
  if (findChromium() === null) return { written, skippedPng: "no Chromium" };
  const browser = await Browser.launch();
  try {
    for (const [name, chart] of Object.entries(charts)) {
      const path = join(dir, `${name}.png`);
      await Deno.writeFile(`${path}.tmp`, await chartPng(chart, { browser }));
      await Deno.rename(`${path}.tmp`, path);
      written.push(path);
    }
  } finally {
    await browser.close();
  }
  return { written };
}
