/**
 * The EnKF over case counts: an ensemble of stochastic SEIR models whose
 * augmented state [S, E, I, R, log beta, cases-since-last-observation] is
 * corrected at every observation by the stochastic (perturbed-observation)
 * EnKF, with multiplicative inflation; then a forecast with ensemble quantiles.
 *
 * All arrays are allocated before the time loop; the loop itself allocates
 * nothing.
 *
 * @module
 */
import { assimilateScalar, inflateEnsemble } from "./analysis.ts";
import {
  checkObservations,
  type EnkfOptions,
  type ResolvedEnkfOptions,
  resolveEnkfOptions,
} from "./options.ts";
import { ensembleQuantiles3 } from "./quantile.ts";
import { Rng } from "./rng.ts";
import {
  N_VARS,
  stepSeirEnsemble,
  VAR_CASES,
  VAR_E,
  VAR_I,
  VAR_LOG_BETA,
  VAR_R,
  VAR_S,
} from "./seir.ts";

/** Ensemble quantiles (5%, 50%, 95%) and mean of one quantity over time. */
export interface EnkfBand {
  q05: Float64Array;
  q50: Float64Array;
  q95: Float64Array;
  mean: Float64Array;
}

/** Quantiles and mean of one scalar. */
export interface EnkfSummary {
  mean: number;
  q05: number;
  q50: number;
  q95: number;
}

/** What {@linkcode runEnkf} returns. */
export interface EnkfResult {
  /** The options used, with defaults applied. */
  options: ResolvedEnkfOptions;
  /** The observed case counts. */
  observations: Float64Array;
  /** Number of observation periods. */
  n_obs: number;
  /** Model days simulated per member: n_obs × obs_interval + horizon × obs_interval. */
  n_steps: number;
  /** Last day (1-based) of each observation period, then of each forecast period. */
  day: Int32Array;
  /** Predicted counts per observation period before assimilating it (one step ahead). */
  prior: EnkfBand;
  /** Counts per observation period after assimilating it (the filtered fit). */
  posterior: EnkfBand;
  /** The transmission rate beta per observation period, after assimilation. */
  beta: EnkfBand;
  /** Predicted counts for the `horizon` periods after the last observation. */
  forecast: EnkfBand;
  /** Final estimates: beta, R0 = beta / gamma, and the share infected so far, 1 - S/N. */
  summary: { beta: EnkfSummary; r0: EnkfSummary; infected_share: EnkfSummary };
}

function band(length: number): EnkfBand {
  return {
    q05: new Float64Array(length),
    q50: new Float64Array(length),
    q95: new Float64Array(length),
    mean: new Float64Array(length),
  };
}

/** Writes the 5/50/95% quantiles and the mean of `values[0..n)` into `b` at index `t`. */
function recordBand(
  values: Float64Array,
  n: number,
  scratch: Float64Array,
  tmp: Float64Array,
  b: EnkfBand,
  t: number,
): void {
  ensembleQuantiles3(values, 0, n, scratch, tmp, 0, 1);
  b.q05[t] = tmp[0];
  b.q50[t] = tmp[1];
  b.q95[t] = tmp[2];
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  b.mean[t] = s / n;
}

function summarize(b: EnkfBand, t: number): EnkfSummary {
  return { mean: b.mean[t], q05: b.q05[t], q50: b.q50[t], q95: b.q95[t] };
}

/**
 * Runs the EnKF over a series of case counts (one per `obs_interval` days)
 * and forecasts `horizon` periods ahead.
 *
 * @example
 * ```ts
 * import { runEnkf, simulateSeir } from "./mod.ts";
 * const { cases } = simulateSeir({ days: 80, beta: 0.5, seed: 3 });
 * const fit = runEnkf(cases, { n_ens: 200, seed: 1 });
 * fit.summary.beta.mean; // close to 0.5
 * fit.forecast.q50; // median forecast of the next 28 days
 * ```
 */
export function runEnkf(observations: ArrayLike<number>, options: EnkfOptions = {}): EnkfResult {
  const opts = resolveEnkfOptions(options);
  const obs = checkObservations(observations, opts.model.population);
  const n = opts.n_ens;
  const interval = opts.obs_interval;
  const nObs = obs.length;
  const horizon = opts.horizon;
  const model = opts.model;
  const rho = model.rho;
  const rng = new Rng(opts.seed);

  // Everything the loop touches, allocated once.
  const ens = new Float64Array(N_VARS * n);
  const values = new Float64Array(n);
  const scratch = new Float64Array(2 * n);
  const prior = band(nObs);
  const posterior = band(nObs);
  const beta = band(nObs);
  const forecast = band(horizon);
  const shareBand = band(1);
  const r0Band = band(1);
  const day = new Int32Array(nObs + horizon);
  const tmp = new Float64Array(3);

  const [betaLo, betaHi] = opts.beta_prior;
  const logLo = Math.log(betaLo), logHi = Math.log(betaHi);
  const logMin = logLo - 1, logMax = logHi + 1;
  const N = model.population;
  for (let i = 0; i < n; i++) {
    // initial conditions: E0 and I0 scaled by a log-uniform factor in [1/2, 2]
    const e0 = model.e0 * Math.exp(Math.LN2 * (2 * rng.uniform() - 1));
    const i0 = model.i0 * Math.exp(Math.LN2 * (2 * rng.uniform() - 1));
    ens[VAR_S * n + i] = Math.max(0, N - e0 - i0);
    ens[VAR_E * n + i] = e0;
    ens[VAR_I * n + i] = i0;
    ens[VAR_R * n + i] = 0;
    ens[VAR_LOG_BETA * n + i] = logLo + (logHi - logLo) * rng.uniform();
    ens[VAR_CASES * n + i] = 0;
  }

  const noise = opts.obs_noise;
  const oC = VAR_CASES * n, oB = VAR_LOG_BETA * n;
  for (let t = 0; t < nObs; t++) {
    for (let d = 0; d < interval; d++) {
      stepSeirEnsemble(ens, n, model, opts.beta_rw_sd, logMin, logMax, rng);
    }
    day[t] = (t + 1) * interval;
    for (let i = 0; i < n; i++) values[i] = rho * ens[oC + i];
    recordBand(values, n, scratch, tmp, prior, t);

    inflateEnsemble(ens, n, 0, N_VARS, opts.inflation);
    const y = obs[t];
    const r = noise.kind === "poisson"
      ? Math.max(y, noise.min_var)
      : noise.sd * noise.sd + noise.rel * noise.rel * y * y;
    assimilateScalar(ens, n, N_VARS, VAR_CASES, rho, y, r, rng, scratch);
    clamp(ens, n, N, logMin, logMax);

    for (let i = 0; i < n; i++) values[i] = rho * ens[oC + i];
    recordBand(values, n, scratch, tmp, posterior, t);
    for (let i = 0; i < n; i++) values[i] = Math.exp(ens[oB + i]);
    recordBand(values, n, scratch, tmp, beta, t);
    for (let i = 0; i < n; i++) ens[oC + i] = 0;
  }
  // final summaries (from the analysis ensemble, before the forecast moves it)
  for (let i = 0; i < n; i++) values[i] = Math.exp(ens[oB + i]) / model.gamma;
  recordBand(values, n, scratch, tmp, r0Band, 0);
  for (let i = 0; i < n; i++) values[i] = 1 - ens[VAR_S * n + i] / N;
  recordBand(values, n, scratch, tmp, shareBand, 0);

  for (let h = 0; h < horizon; h++) {
    for (let d = 0; d < interval; d++) {
      stepSeirEnsemble(ens, n, model, opts.beta_rw_sd, logMin, logMax, rng);
    }
    day[nObs + h] = (nObs + h + 1) * interval;
    for (let i = 0; i < n; i++) values[i] = rho * ens[oC + i];
    recordBand(values, n, scratch, tmp, forecast, h);
    for (let i = 0; i < n; i++) ens[oC + i] = 0;
  }

  return {
    options: opts,
    observations: obs,
    n_obs: nObs,
    n_steps: (nObs + horizon) * interval,
    day,
    prior,
    posterior,
    beta,
    forecast,
    summary: {
      beta: nObs > 0 ? summarize(beta, nObs - 1) : { mean: NaN, q05: NaN, q50: NaN, q95: NaN },
      r0: summarize(r0Band, 0),
      infected_share: summarize(shareBand, 0),
    },
  };
}

/**
 * How far a member's S + E + I + R may stray from N (as a fraction of N)
 * before {@linkcode clamp} puts it back. Rounding alone moves it by about
 * 1e-16 of N per analysis, and the inflation multiplies a member's deviation
 * from the ensemble mean, its total's included, by the inflation factor every
 * period: left alone, a 1e-16 drift reaches N itself after ~1,200 periods at
 * 1.03.
 */
const TOTAL_TOLERANCE = 1e-9;

/**
 * Puts each member back into the model's state space after an analysis: log
 * beta in range, cases >= 0, and S, E, I, R each >= 0 and summing to the
 * population N. A compartment the analysis pushed below 0 is raised to 0;
 * when that (or rounding amplified by the inflation) leaves the member's
 * total more than {@linkcode TOTAL_TOLERANCE} of N away from N, the four are
 * scaled to sum to N. So S <= N, and the share infected, 1 - S/N, is in
 * [0, 1]. A member with no negative compartment and a total within the
 * tolerance is left bit for bit as it was (its scale factor is exactly 1).
 *
 * Indexed loops, Math.max/Math.min and a 0/1 weight instead of an `if`: every
 * store runs on every call, so the optimised code never meets a branch it has
 * no type feedback for (an `if (v > max)` first taken when log beta reaches
 * its bound deoptimises it). Allocates nothing.
 */
function clamp(ens: Float64Array, n: number, N: number, logMin: number, logMax: number): void {
  const oS = VAR_S * n, oE = VAR_E * n, oI = VAR_I * n, oR = VAR_R * n;
  const oB = VAR_LOG_BETA * n, oC = VAR_CASES * n;
  const tolerance = TOTAL_TOLERANCE * N;
  for (let i = 0; i < n; i++) {
    ens[oB + i] = Math.min(Math.max(ens[oB + i], logMin), logMax);
    ens[oC + i] = Math.max(ens[oC + i], 0);
    const s = Math.max(ens[oS + i], 0), e = Math.max(ens[oE + i], 0);
    const inf = Math.max(ens[oI + i], 0), r = Math.max(ens[oR + i], 0);
    const total = s + e + inf + r;
    // 1 when the total strayed (Number(false) is 0): then scale it back to N, else by exactly 1
    const off = Number(Math.abs(total - N) > tolerance);
    const scale = 1 + off * (N / Math.max(total, tolerance) - 1);
    ens[oS + i] = Math.min(s * scale, N);
    ens[oE + i] = e * scale;
    ens[oI + i] = inf * scale;
    ens[oR + i] = r * scale;
  }
}
