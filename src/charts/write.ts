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
import { marginChart } from "./margin.ts";
import { chartPng } from "./png.ts";
import { revenueChart } from "./revenue.ts";
import { tradeoffChart } from "./tradeoff.ts";
import { type UsageChartRow, usageStackedChart } from "./usage_stacked.ts";
import { usageOverTimeChart } from "./usage_time.ts";

/** The charts of a comparison, by file name (without extension). */
export interface ComparisonCharts {
  usage_stacked: Chart;
  usage_over_time: Chart;
  tradeoff: Chart;
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
 * charts.tradeoff; // displays inline in Jupyter
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
    usage_stacked: usageStackedChart(inRange),
    usage_over_time: usageOverTimeChart(inRange),
    tradeoff: tradeoffChart(result.plans),
    revenue_by_plan: revenueChart(result),
    margin_by_tenant: marginChart(result),
  };
}

/**
 * Writes the comparison charts into `dir` as `<name>.svg`, and as
 * `<name>.png` (1920x1080) when Chromium is found.
 */
export async function writeComparisonCharts(
  result: CompareResult,
  usage: readonly UsageChartRow[],
  dir: string,
): Promise<{ written: string[]; skippedPng?: string }> {
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
