/**
 * The two measured axes of the pricing trade-off, per plan:
 *
 * - **Revenue predictability** (for the seller): `max(0, 1 - CV)` where CV is
 *   the coefficient of variation (population standard deviation / mean) of the
 *   plan's monthly revenue per billed tenant over the months compared. 1 means
 *   the same revenue every month (a flat fee always scores 1); 0 means the
 *   monthly revenue swings by as much as its mean or more (clamped: a CV above
 *   1 says "unpredictable" no more usefully than a CV of 1, and a negative
 *   score would read as meaningful when it is not). Per billed tenant, so that
 *   a tenant joining mid-range is not counted as pricing volatility.
 * - **Usage alignment** (for the buyer): the Pearson correlation between what
 *   tenants pay and what they consume (compute units), over every tenant-month.
 *   1 means the charge moves in exact proportion (or any positive linear
 *   relation) to consumption; 0 means no linear relation.
 *
 * @module
 */
import { mean, sampleCorrelation, standardDeviation } from "simple-statistics";

/** The definitions, as written in compare.json, the report and README. */
export const AXIS_DEFINITIONS = {
  predictability:
    "Revenue predictability (seller): max(0, 1 - CV), CV = population standard deviation / mean " +
    "of the plan's monthly revenue per billed tenant over the months compared (per tenant, so " +
    "that tenants joining do not count as volatility). 1 = identical revenue every month (any " +
    "flat fee); 0 = monthly revenue swings by its mean or more (clamped at 0). " +
    "Undefined (null) with fewer than 2 months or a mean of 0. Growth counts as variation: a " +
    "steadily growing usage base lowers the score though it is easy to forecast.",
  alignment:
    "Usage alignment (buyer): Pearson correlation between each tenant-month's charge and its " +
    "compute units, over all tenant-months compared. 1 = pay moves linearly with consumption; " +
    "0 = no linear relation; negative = heavier users pay less. A charge that never varies " +
    "(a flat fee) scores 0 by definition. Undefined (null) with fewer than 3 tenant-months or " +
    "when every tenant-month consumed the same amount. With few tenants and months the value " +
    "is noisy, and one heavy tenant can dominate it.",
} as const;

/** The predictability score with the numbers behind it. */
export interface PredictabilityScore {
  /** `max(0, 1 - cv)`, or null when undefined (see {@linkcode AXIS_DEFINITIONS}). */
  value: number | null;
  /** The coefficient of variation (population), or null. */
  cv: number | null;
  mean: number | null;
  std: number | null;
  /** How many months went in. */
  n: number;
  /** Why the value is null, when it is. */
  note?: string;
}

/** The alignment score with the numbers behind it. */
export interface AlignmentScore {
  /** Pearson r in [-1, 1], 0 for a constant charge, or null when undefined. */
  value: number | null;
  /** How many tenant-months went in. */
  n: number;
  /** Why the value is null or 0 by definition, when it is. */
  note?: string;
}

/**
 * Revenue predictability of a monthly revenue series.
 *
 * @example
 * ```ts
 * import { revenuePredictability } from "./axes.ts";
 * revenuePredictability([2000, 2000, 2000]).value; // 1
 * revenuePredictability([100, 300]).value; // 0.5 (mean 200, sd 100, CV 0.5)
 * ```
 */
export function revenuePredictability(monthlyRevenue: readonly number[]): PredictabilityScore {
  const n = monthlyRevenue.length;
  if (n < 2) {
    return { value: null, cv: null, mean: null, std: null, n, note: "fewer than 2 months" };
  }
  const m = mean(monthlyRevenue as number[]);
  const sd = standardDeviation(monthlyRevenue as number[]);
  if (m <= 0) {
    return { value: null, cv: null, mean: m, std: sd, n, note: "mean monthly revenue is 0" };
  }
  const cv = sd / m;
  // A relative tolerance: the sd of identical integers can come out as 1e-13, not 0.
  const value = cv < 1e-12 ? 1 : Math.max(0, Math.round((1 - cv) * 1e12) / 1e12);
  return { value, cv: cv < 1e-12 ? 0 : cv, mean: m, std: sd, n };
}

/**
 * Usage alignment: Pearson correlation of charges against consumption.
 *
 * @example
 * ```ts
 * import { usageAlignment } from "./axes.ts";
 * usageAlignment([10, 20, 40], [1, 2, 4]).value; // 1 (proportional)
 * usageAlignment([500, 500, 500], [1, 2, 4]).value; // 0 (a flat charge)
 * ```
 */
export function usageAlignment(
  charges: readonly number[],
  consumption: readonly number[],
): AlignmentScore {
  const n = charges.length;
  if (n !== consumption.length) {
    throw new Error(`alignment: ${n} charges but ${consumption.length} consumption values`);
  }
  if (n < 3) return { value: null, n, note: "fewer than 3 tenant-months" };
  const sdUse = standardDeviation(consumption as number[]);
  if (!(sdUse > 0)) {
    return { value: null, n, note: "every tenant-month consumed the same amount" };
  }
  const sdPay = standardDeviation(charges as number[]);
  if (!(sdPay > 0)) return { value: 0, n, note: "the charge never varies" };
  const r = sampleCorrelation(charges as number[], consumption as number[]);
  // Rounded to 12 decimals: float noise must not turn a perfect 1 into 0.9999999999999998.
  const rounded = Math.round(r * 1e12) / 1e12;
  return { value: Math.max(-1, Math.min(1, rounded === 0 ? 0 : rounded)), n };
}
