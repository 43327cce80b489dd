/**
 * Pricing-model comparison: back-test every plan on the usage history.
 * {@linkcode compare} prices every tenant's every month under every plan and
 * measures revenue per plan and month, each tenant's change against its
 * current plan, margins after the cost to serve, tier fit, and the two axes
 * of the pricing trade-off: revenue predictability (seller) and usage
 * alignment (buyer), defined in {@linkcode AXIS_DEFINITIONS}.
 *
 * @example
 * ```ts
 * import { backtest } from "./mod.ts";
 * const result = backtest({
 *   usage: [{ month: "2026-10", tenant_id: "a", event_type: "enkf_run", events: 2, compute_units: "10" }],
 *   plans: [{ id: "flat", name: "Flat" }],
 *   price: () => ({ total_minor: 200000, currency: "USD" }),
 *   currentPlans: { a: "flat" },
 *   costs: { currency: "USD", cost_per_compute_unit: "0.02", cost_per_api_call: "0" },
 * });
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./axes.ts";
export * from "./costs.ts";
export {
  backtest,
  type BacktestInput,
  type BacktestOptions,
  type ComparePricer,
} from "./backtest.ts";
export * from "./compare.ts";
export {
  COMPARE_CSV_COLUMNS,
  compareCsv,
  compareJson,
  refuseReportFolder,
  writeComparison,
} from "./output.ts";
export * from "./usage.ts";
export * from "./range.ts";
