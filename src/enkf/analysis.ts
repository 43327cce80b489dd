/**
 * The stochastic EnKF's building blocks, model-agnostic: multiplicative
 * inflation and the analysis of one scalar observation with perturbed
 * observations, on an ensemble stored variable-major in one Float64Array
 * (`ens[k * n + i]` is variable k of member i). Nothing here allocates.
 *
 * @module
 */
import type { Rng } from "./rng.ts";

/**
 * Multiplies every member's deviation from the ensemble mean by `factor`, for
 * the variables `from` (inclusive) to `to` (exclusive).
 *
 * @example
 * ```ts
 * import { inflateEnsemble } from "./analysis.ts";
 * const ens = new Float64Array([1, 3]); // one variable, two members
 * inflateEnsemble(ens, 2, 0, 1, 2); // ens is now [0, 4]
 * ```
 */
export function inflateEnsemble(
  ens: Float64Array,
  n: number,
  from: number,
  to: number,
  factor: number,
): void {
  if (factor === 1) return;
  for (let k = from; k < to; k++) {
    const base = k * n;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += ens[base + i];
    mean /= n;
    for (let i = 0; i < n; i++) ens[base + i] = mean + factor * (ens[base + i] - mean);
  }
}

/**
 * Assimilates one scalar observation `y = scale · x[obsVar] + v`, v ~ N(0, r),
 * into every variable of the ensemble, by the stochastic EnKF with perturbed
 * observations: member i moves by K·(y + √r·z_i − scale·x_i[obsVar]) with the
 * gain K = cov(x, Hx) / (var(Hx) + r) estimated from the ensemble.
 *
 * `scratch` must hold at least `2 * n` numbers. Returns the prior ensemble
 * variance of Hx.
 *
 * @example
 * ```ts
 * import { assimilateScalar } from "./analysis.ts";
 * import { Rng } from "./rng.ts";
 * const n = 4, ens = new Float64Array([0, 1, 2, 3]); // one variable, 4 members
 * assimilateScalar(ens, n, 1, 0, 1, 10, 0.5, new Rng(1), new Float64Array(2 * n));
 * ```
 */
export function assimilateScalar(
  ens: Float64Array,
  n: number,
  nVars: number,
  obsVar: number,
  scale: number,
  y: number,
  r: number,
  rng: Rng,
  scratch: Float64Array,
): number {
  const hBase = obsVar * n;
  let hMean = 0;
  for (let i = 0; i < n; i++) hMean += ens[hBase + i];
  hMean *= scale / n;
  const sr = Math.sqrt(r);
  let hVar = 0;
  for (let i = 0; i < n; i++) {
    const h = scale * ens[hBase + i];
    const dh = h - hMean;
    scratch[i] = dh; // anomaly of Hx
    scratch[n + i] = y + sr * rng.normal() - h; // perturbed innovation
    hVar += dh * dh;
  }
  hVar /= n - 1;
  const denom = (hVar + r) * (n - 1);
  if (!(denom > 0)) return hVar;
  for (let k = 0; k < nVars; k++) {
    const base = k * n;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += ens[base + i];
    mean /= n;
    let c = 0; // cov(x_k, Hx) * (n - 1)
    for (let i = 0; i < n; i++) c += (ens[base + i] - mean) * scratch[i];
    const gain = c / denom;
    if (gain === 0) continue;
    for (let i = 0; i < n; i++) ens[base + i] += gain * scratch[n + i];
  }
  return hVar;
}
