/**
 * A stochastic SEIR compartment model with daily steps (chain binomial:
 * each day S→E, E→I and I→R move Binomial(n, 1 − e^(−rate)) people, drawn
 * with {@linkcode Rng.binomialApprox}), for one trajectory (synthetic data)
 * or a whole ensemble in place (the EnKF's forecast step).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { DEFAULT_SEIR_PARAMS, type SeirParams } from "./options.ts";
import { Rng, type RngSeed } from "./rng.ts";

/** Index of S in the ensemble's variable-major layout. */
export const VAR_S = 0;
/** Index of E. */
export const VAR_E = 1;
/** Index of I. */
export const VAR_I = 2;
/** Index of R. */
export const VAR_R = 3;
/** Index of log(beta), the transmission rate, estimated as a random walk. */
export const VAR_LOG_BETA = 4;
/** Index of the new infectious cases since the last observation (the observed quantity / rho). */
export const VAR_CASES = 5;
/** Number of variables in the augmented state. */
export const N_VARS = 6;

/**
 * Advances every member of an ensemble (`ens[k * n + i]`, variables as
 * above) by one day, in place: the SEIR transitions, the new cases added to
 * VAR_CASES, and a Gaussian random-walk step of log(beta) with sd `betaRwSd`,
 * kept within [logBetaMin, logBetaMax].
 */
export function stepSeirEnsemble(
  ens: Float64Array,
  n: number,
  params: SeirParams,
  betaRwSd: number,
  logBetaMin: number,
  logBetaMax: number,
  rng: Rng,
): void {
  const invN = 1 / params.population;
  const pEI = 1 - Math.exp(-params.sigma);
  const pIR = 1 - Math.exp(-params.gamma);
  const oS = VAR_S * n, oE = VAR_E * n, oI = VAR_I * n, oR = VAR_R * n;
  const oB = VAR_LOG_BETA * n, oC = VAR_CASES * n;
  for (let i = 0; i < n; i++) {
    const s = ens[oS + i], e = ens[oE + i], inf = ens[oI + i];
    const lb = ens[oB + i];
    const pSE = 1 - Math.exp(-Math.exp(lb) * inf * invN);
    const newE = rng.binomialApprox(s, pSE);
    const newI = rng.binomialApprox(e, pEI);
    const newR = rng.binomialApprox(inf, pIR);
    ens[oS + i] = s - newE;
    ens[oE + i] = e + newE - newI;
    ens[oI + i] = inf + newI - newR;
    ens[oR + i] += newR;
    ens[oC + i] += newI;
    if (betaRwSd > 0) {
      // branch-free clamp: no deoptimisation when a member first reaches a bound
      ens[oB + i] = Math.min(Math.max(lb + betaRwSd * rng.normal(), logBetaMin), logBetaMax);
    }
  }
}

/** Options of {@linkcode simulateSeir}. */
export interface SimulateSeirOptions {
  /** Number of days to simulate, >= 1. */
  days: number;
  /** The true transmission rate per day: a constant or one value per day. */
  beta: number | ArrayLike<number>;
  /** PRNG seed. */
  seed: RngSeed;
  /** Days per reported count (1 daily, 7 weekly). Default 1. */
  obs_interval?: number;
  /** Model parameters (merged over the defaults). */
  model?: Partial<SeirParams>;
}

/** One simulated epidemic. */
export interface SeirTrajectory {
  /** Reported cases per observation period: Binomial(new infectious, rho), summed per period. */
  cases: Float64Array;
  /** Daily new infectious (true incidence). */
  incidence: Float64Array;
  /** Daily compartments after each day's step. */
  S: Float64Array;
  E: Float64Array;
  I: Float64Array;
  R: Float64Array;
  /** The model parameters used. */
  model: SeirParams;
}

/**
 * Simulates one stochastic SEIR epidemic with integer compartments and
 * reported counts, seeded: the same options give the same numbers.
 *
 * @example
 * ```ts
 * import { simulateSeir } from "./seir.ts";
 * const { cases } = simulateSeir({ days: 70, beta: 0.5, seed: 7, obs_interval: 7 });
 * cases.length; // 10 weekly counts
 * ```
 */
export function simulateSeir(options: SimulateSeirOptions): SeirTrajectory {
  const days = options.days;
  if (!Number.isInteger(days) || days < 1) {
    throw new UserError(`simulateSeir days: must be an integer >= 1, got ${days}`);
  }
  const interval = options.obs_interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1) {
    throw new UserError(`simulateSeir obs_interval: must be an integer >= 1, got ${interval}`);
  }
  const model: SeirParams = { ...DEFAULT_SEIR_PARAMS, ...(options.model ?? {}) };
  const betaAt = (d: number): number => {
    const b = typeof options.beta === "number" ? options.beta : options.beta[d];
    if (typeof b !== "number" || !(b >= 0) || !Number.isFinite(b)) {
      throw new UserError(
        `simulateSeir beta on day ${d + 1}: must be a finite number >= 0, got ${b}`,
      );
    }
    return b;
  };
  const rng = new Rng(options.seed);
  const out: SeirTrajectory = {
    cases: new Float64Array(Math.floor(days / interval)),
    incidence: new Float64Array(days),
    S: new Float64Array(days),
    E: new Float64Array(days),
    I: new Float64Array(days),
    R: new Float64Array(days),
    model,
  };
  const N = model.population;
  let e = Math.round(model.e0), inf = Math.round(model.i0);
  let s = N - e - inf, r = 0;
  const pEI = 1 - Math.exp(-model.sigma);
  const pIR = 1 - Math.exp(-model.gamma);
  for (let d = 0; d < days; d++) {
    const pSE = 1 - Math.exp(-betaAt(d) * inf / N);
    const newE = rng.binomialApprox(s, pSE);
    const newI = rng.binomialApprox(e, pEI);
    const newR = rng.binomialApprox(inf, pIR);
    s -= newE;
    e += newE - newI;
    inf += newI - newR;
    r += newR;
    out.S[d] = s;
    out.E[d] = e;
    out.I[d] = inf;
    out.R[d] = r;
    out.incidence[d] = newI;
    const period = Math.floor(d / interval);
    if (period < out.cases.length) out.cases[period] += rng.binomialApprox(newI, model.rho);
  }
  return out;
}
