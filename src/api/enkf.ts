/**
 * `POST /v1/enkf`: one instrumented EnKF job for the caller's tenant, with
 * request limits so that one call stays bounded.
 *
 * @module
 */
import { runInstrumentedEnkf } from "../enkf/job.ts";
import type { ObservationSeries } from "../enkf/obs.ts";
import type { JobClock } from "../metering/clock.ts";
import type { EventSink } from "../metering/sink.ts";
import { UserError } from "../errors.ts";
import type { ApiEnkfRequest, ApiEnkfResponse } from "./app.ts";

/** Limits on one request. */
export const ENKF_LIMITS = { n_ens: 2000, observations: 2000, horizon: 365 } as const;

/** Options of {@linkcode createEnkfRunner}. */
export interface EnkfRunnerOptions {
  /** Where the job's `enkf_run` event goes (the server's queue). */
  sink: EventSink;
  /** The job clock (`realClock()` in production). */
  clock: JobClock;
  /** Event ids (the metering core's UUIDv7 generator). */
  nextId: () => string;
  /** The series used when a request gives no observations. */
  sample: ObservationSeries;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function intIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new UserError(
      `${name}: must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * A function that runs one job per request and returns its forecast summary
 * (final beta, R0 and share infected with 5/50/95% quantiles; the forecast's
 * median and 90% band per period) with its usage event.
 *
 * @example
 * ```ts
 * import { createEnkfRunner } from "./enkf.ts";
 * // const run = createEnkfRunner({ sink: queue, clock: realClock(), nextId: core.nextId.bind(core), sample });
 * // const { forecast, event } = await run("dept_a", { n_ens: 100 });
 * ```
 */
export function createEnkfRunner(
  options: EnkfRunnerOptions,
): (tenant_id: string, request: ApiEnkfRequest) => Promise<ApiEnkfResponse> {
  return async (tenant_id, request) => {
    const n_ens = intIn("n_ens", request.n_ens ?? 100, 2, ENKF_LIMITS.n_ens);
    let observations: ArrayLike<number> = options.sample.cases;
    let obs_interval = options.sample.interval;
    if (request.observations !== undefined) {
      const obs = request.observations;
      if (
        !Array.isArray(obs) || obs.length === 0 || obs.length > ENKF_LIMITS.observations ||
        !obs.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0)
      ) {
        throw new UserError(
          `observations: must be 1 to ${ENKF_LIMITS.observations} case counts >= 0`,
        );
      }
      observations = obs;
      obs_interval = 1;
    }
    if (request.obs_interval !== undefined) {
      obs_interval = intIn("obs_interval", request.obs_interval, 1, 28);
    }
    const horizon = request.horizon === undefined
      ? undefined
      : intIn("horizon", request.horizon, 0, ENKF_LIMITS.horizon);
    const seed = request.seed ?? 1;
    if (typeof seed !== "number" || !Number.isFinite(seed)) {
      throw new UserError(`seed: must be a number, got ${JSON.stringify(seed)}`);
    }
    const { result, event } = await runInstrumentedEnkf(
      observations,
      { n_ens, obs_interval, horizon, seed },
      {
        tenant_id,
        event_type: "enkf_run",
        clock: options.clock,
        sink: options.sink,
        id: options.nextId(),
      },
    );
    const summary = (s: { mean: number; q05: number; q50: number; q95: number }) => ({
      mean: round(s.mean),
      q05: round(s.q05),
      q50: round(s.q50),
      q95: round(s.q95),
    });
    const nForecast = result.forecast.q50.length;
    return {
      tenant_id,
      forecast: {
        n_ens: result.options.n_ens,
        n_obs: result.n_obs,
        obs_interval: result.options.obs_interval,
        n_steps: result.n_steps,
        beta: summary(result.summary.beta),
        r0: summary(result.summary.r0),
        infected_share: summary(result.summary.infected_share),
        forecast: {
          day: Array.from(result.day.subarray(result.n_obs, result.n_obs + nForecast)),
          q05: Array.from(result.forecast.q05, round),
          q50: Array.from(result.forecast.q50, round),
          q95: Array.from(result.forecast.q95, round),
        },
      },
      event,
    };
  };
}
