/**
 * The EnKF's options, their defaults, and their validation (bad options throw
 * a {@linkcode UserError} that names the option, the value and the fix).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { RngSeed } from "./rng.ts";

/** The SEIR model's fixed parameters (rates are per day). */
export interface SeirParams {
  /** Population size N. Default 100,000. */
  population: number;
  /** Rate E -> I, 1 / mean latent period. Default 1/3. */
  sigma: number;
  /** Rate I -> R, 1 / mean infectious period. Default 1/5. */
  gamma: number;
  /** Fraction of new infectious cases that are reported. Default 0.5. */
  rho: number;
  /** Initially exposed. Default 20. */
  e0: number;
  /** Initially infectious. Default 10. */
  i0: number;
}

/** The SEIR defaults. */
export const DEFAULT_SEIR_PARAMS: Readonly<SeirParams> = Object.freeze({
  population: 100_000,
  sigma: 1 / 3,
  gamma: 1 / 5,
  rho: 0.5,
  e0: 20,
  i0: 10,
});

/**
 * The observation-noise model, which sets the observation-error variance R
 * of each case count y:
 * - `poisson`: R = max(y, min_var) (min_var defaults to 1);
 * - `gaussian`: R = sd² + (rel·y)² (sd and rel default to 0; one must be > 0).
 */
export type ObsNoise =
  | { kind: "poisson"; min_var?: number }
  | { kind: "gaussian"; sd?: number; rel?: number };

/** Options of {@linkcode runEnkf}; every field has a default. */
export interface EnkfOptions {
  /** Ensemble size, >= 2. Default 100. */
  n_ens?: number;
  /** PRNG seed. Default 1. */
  seed?: RngSeed;
  /** Days per observation: 1 (daily counts) or 7 (weekly), any integer >= 1. Default 1. */
  obs_interval?: number;
  /** Observation-noise model. Default `{ kind: "poisson" }`. */
  obs_noise?: ObsNoise;
  /** Multiplicative inflation of ensemble anomalies before each analysis, >= 1. Default 1.03. */
  inflation?: number;
  /** Daily random-walk standard deviation of log(beta), >= 0. Default 0.02. */
  beta_rw_sd?: number;
  /** Prior range of beta: the initial ensemble is log-uniform on it. Default [0.1, 1.5]. */
  beta_prior?: [number, number];
  /** Forecast horizon in observation periods after the last observation. Default 28 days' worth. */
  horizon?: number;
  /** SEIR parameters (merged over {@linkcode DEFAULT_SEIR_PARAMS}). */
  model?: Partial<SeirParams>;
}

/** Options with every default applied. */
export interface ResolvedEnkfOptions {
  n_ens: number;
  seed: RngSeed;
  obs_interval: number;
  obs_noise: { kind: "poisson"; min_var: number } | { kind: "gaussian"; sd: number; rel: number };
  inflation: number;
  beta_rw_sd: number;
  beta_prior: [number, number];
  horizon: number;
  model: SeirParams;
}

function fail(message: string): never {
  throw new UserError(message);
}

function finite(name: string, value: unknown, fix: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(`EnKF option ${name}: must be a finite number, got ${String(value)}; ${fix}`);
  }
  return value;
}

function integerAtLeast(name: string, value: unknown, min: number): number {
  const n = finite(name, value, `give an integer >= ${min}`);
  if (!Number.isInteger(n) || n < min) {
    fail(`EnKF option ${name}: must be an integer >= ${min}, got ${n}`);
  }
  return n;
}

function nonNegative(name: string, value: unknown): number {
  const n = finite(name, value, "give a number >= 0");
  if (n < 0) {
    fail(`EnKF option ${name}: must be >= 0, got ${n}; noise and spreads cannot be negative`);
  }
  return n;
}

/**
 * Applies defaults and checks every option.
 *
 * @example
 * ```ts
 * import { resolveEnkfOptions } from "./options.ts";
 * resolveEnkfOptions({ n_ens: 50 }).inflation; // 1.03
 * resolveEnkfOptions({ n_ens: 1 }); // throws UserError: n_ens must be an integer >= 2
 * ```
 */
export function resolveEnkfOptions(options: EnkfOptions = {}): ResolvedEnkfOptions {
  const n_ens = integerAtLeast("n_ens", options.n_ens ?? 100, 2);
  const seed = options.seed ?? 1;
  if (typeof seed === "number" && !Number.isFinite(seed)) {
    fail(`EnKF option seed: must be a finite number or a string, got ${seed}`);
  }
  const obs_interval = integerAtLeast("obs_interval", options.obs_interval ?? 1, 1);
  const noise = options.obs_noise ?? { kind: "poisson" };
  let obs_noise: ResolvedEnkfOptions["obs_noise"];
  if (noise.kind === "poisson") {
    const min_var = nonNegative("obs_noise.min_var", noise.min_var ?? 1);
    if (min_var === 0) {
      fail(`EnKF option obs_noise.min_var: must be > 0, got 0 (a zero count would get zero noise)`);
    }
    obs_noise = { kind: "poisson", min_var };
  } else if (noise.kind === "gaussian") {
    const sd = nonNegative("obs_noise.sd", noise.sd ?? 0);
    const rel = nonNegative("obs_noise.rel", noise.rel ?? 0);
    if (sd === 0 && rel === 0) {
      fail(`EnKF option obs_noise: gaussian noise needs sd > 0 or rel > 0, got sd 0 and rel 0`);
    }
    obs_noise = { kind: "gaussian", sd, rel };
  } else {
    fail(
      `EnKF option obs_noise.kind: expected "poisson" or "gaussian", got ${
        JSON.stringify((noise as { kind: unknown }).kind)
      }`,
    );
  }
  const inflation = finite("inflation", options.inflation ?? 1.03, "give a factor >= 1");
  if (inflation < 1) fail(`EnKF option inflation: must be >= 1 (1 = none), got ${inflation}`);
  const beta_rw_sd = nonNegative("beta_rw_sd", options.beta_rw_sd ?? 0.02);
  const prior = options.beta_prior ?? [0.1, 1.5];
  const lo = finite("beta_prior[0]", prior[0], "give a range like [0.1, 1.5]");
  const hi = finite("beta_prior[1]", prior[1], "give a range like [0.1, 1.5]");
  if (!(lo > 0 && hi >= lo)) {
    fail(`EnKF option beta_prior: must be [low, high] with 0 < low <= high, got [${lo}, ${hi}]`);
  }
  const horizon = integerAtLeast(
    "horizon",
    options.horizon ?? Math.ceil(28 / obs_interval),
    0,
  );
  const m = { ...DEFAULT_SEIR_PARAMS, ...(options.model ?? {}) };
  const population = finite("model.population", m.population, "give a population > 0");
  if (population <= 0) fail(`EnKF option model.population: must be > 0, got ${population}`);
  for (const key of ["sigma", "gamma"] as const) {
    const v = finite(`model.${key}`, m[key], "give a daily rate > 0");
    if (v <= 0) fail(`EnKF option model.${key}: must be a daily rate > 0, got ${v}`);
  }
  const rho = finite("model.rho", m.rho, "give a reporting fraction in (0, 1]");
  if (!(rho > 0 && rho <= 1)) fail(`EnKF option model.rho: must be in (0, 1], got ${rho}`);
  const e0 = nonNegative("model.e0", m.e0);
  const i0 = nonNegative("model.i0", m.i0);
  if (e0 + i0 <= 0 || e0 + i0 > population) {
    fail(
      `EnKF option model.e0 + model.i0: must be in (0, population ${population}], got ${e0 + i0}`,
    );
  }
  return {
    n_ens,
    seed,
    obs_interval,
    obs_noise,
    inflation,
    beta_rw_sd,
    beta_prior: [lo, hi],
    horizon,
    model: { population, sigma: m.sigma, gamma: m.gamma, rho, e0, i0 },
  };
}

/**
 * Checks a series of case counts: non-empty, every value finite, >= 0 and at
 * most `population` (a period's reported cases cannot exceed the model's
 * population; default no bound). Returns a Float64Array copy. `simulate`
 * (through {@linkcode runEnkf}) and `POST /v1/enkf` both check with it.
 *
 * @example
 * ```ts
 * import { checkObservations } from "./options.ts";
 * checkObservations([3, 5, 9], 100_000); // Float64Array [3, 5, 9]
 * checkObservations([3, 1e308], 100_000); // throws UserError: value 2 is 1e+308, more than ...
 * ```
 */
export function checkObservations(
  observations: ArrayLike<number>,
  population = Infinity,
): Float64Array {
  if (!observations || typeof observations.length !== "number" || observations.length === 0) {
    fail(`EnKF observations: empty; give at least one case count`);
  }
  const out = new Float64Array(observations.length);
  for (let i = 0; i < observations.length; i++) {
    const v = observations[i];
    if (typeof v !== "number" || Number.isNaN(v)) {
      fail(
        `EnKF observations: value ${i + 1} is not a number (${String(v)}); fix or drop that row`,
      );
    }
    if (!Number.isFinite(v) || v < 0) {
      fail(`EnKF observations: value ${i + 1} is ${v}; case counts must be finite and >= 0`);
    }
    if (v > population) {
      fail(
        `EnKF observations: value ${i + 1} is ${v}, more than the model's population ` +
          `${population}; a period's case count cannot exceed it`,
      );
    }
    out[i] = v;
  }
  return out;
}
