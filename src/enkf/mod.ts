/**
 * EnKF simulations: a stochastic SEIR model with daily steps, and an
 * Ensemble Kalman Filter that assimilates case counts (daily or weekly) to
 * estimate the compartments and the transmission rate, with forecasts as
 * ensemble quantiles. Seeded: the same seed gives the same numbers.
 *
 * @example
 * ```ts
 * import { runEnkf, simulateSeir } from "./mod.ts";
 * const { cases } = simulateSeir({ days: 84, beta: 0.5, seed: 7, obs_interval: 7 });
 * const fit = runEnkf(cases, { n_ens: 200, obs_interval: 7, seed: 1 });
 * console.log(fit.summary.beta, fit.forecast.q50);
 * ```
 *
 * @module
 */
export * from "./rng.ts";
export * from "./options.ts";
export * from "./analysis.ts";
export * from "./quantile.ts";
export * from "./seir.ts";
export * from "./filter.ts";
export * from "./job.ts";
export * from "./obs.ts";
export * from "./plot.ts";
