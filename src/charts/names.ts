/**
 * The file names (without extension) of the five charts, the same in the
 * report's `charts/` folder and in `deno task compare --charts`.
 *
 * @module
 */

/**
 * Chart file stems, by chart.
 *
 * @example
 * ```ts
 * import { CHART_NAMES } from "./names.ts";
 * `charts/${CHART_NAMES.pricingTradeoff}.svg`; // "charts/pricing_tradeoff.svg"
 * ```
 */
export const CHART_NAMES = {
  /** Compute units by tenant, stacked by event type (one month, or the range). */
  usageByTenant: "usage_by_tenant",
  /** Compute units per tenant over time. */
  usageOverTime: "usage_over_time",
  /** Revenue by plan per month. */
  revenueByPlan: "revenue_by_plan",
  /** Margin by tenant under each plan. */
  marginByTenant: "margin_by_tenant",
  /** The predictability / alignment scatter. */
  pricingTradeoff: "pricing_tradeoff",
} as const;

/** One of the chart file stems. */
export type ChartName = (typeof CHART_NAMES)[keyof typeof CHART_NAMES];
