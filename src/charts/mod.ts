/**
 * Charts: Observable Plot figures rendered server side (linkedom) to
 * standalone SVG, with one fixed colour per event type and per plan. Each
 * chart function returns a {@linkcode Chart} that displays inline in Jupyter
 * and serialises to SVG (`chart.svg`, `String(chart)`); {@linkcode chartPng}
 * renders one to PNG through headless Chromium.
 *
 * @example
 * ```ts
 * import { usageStackedChart } from "./mod.ts";
 * const chart = usageStackedChart([
 *   { month: "2026-10", tenant_id: "dept_a", event_type: "enkf_run", events: 2, compute_units: "11.000000" },
 * ]);
 * await Deno.writeTextFile("usage.svg", chart.svg);
 * ```
 *
 * @module
 */
export * from "./palette.ts";
export {
  type Chart,
  type ChartSizeOptions,
  JUPYTER_DISPLAY,
  makeChart,
  normalizeSvg,
} from "./chart.ts";
export { compactMoney, valueMoney } from "./format.ts";
export * from "./usage_stacked.ts";
export * from "./usage_time.ts";
export * from "./tradeoff.ts";
export * from "./revenue.ts";
export * from "./margin.ts";
export * from "./png.ts";
export * from "./write.ts";
export * from "./names.ts";
export * from "./table.ts";
