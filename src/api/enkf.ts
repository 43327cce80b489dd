/**
 * `POST /v1/enkf`: one instrumented EnKF job for the caller's tenant, with
 * request limits so that one call stays bounded.
 *
 * @module
 */
import { type EnkfResult, runEnkf } from "../enkf/filter.ts";
import type { ObservationSeries } from "../enkf/obs.ts";
import { checkObservations, type EnkfOptions, resolveEnkfOptions } from "../enkf/options.ts";
import { type JobClock, reportedClock } from "../metering/clock.ts";
import { instrument } from "../metering/instrument.ts";
import type { EventSink } from "../metering/sink.ts";
import { UserError } from "../errors.ts";
import type { ApiEnkfRequest, ApiEnkfResponse } from "./app.ts";
import { EnkfJobError, type EnkfWorkerPool } from "./enkf_pool.ts";

/**
 * Limits on one request. `member_steps` caps the work: n_ens × n_steps, where
 * n_steps = (observations + horizon) × obs_interval model days; 10 million
 * member-steps is about 2 s of CPU on the reference machine.
 */
export const ENKF_LIMITS = {
  n_ens: 2000,
  observations: 2000,
  horizon: 365,
  obs_interval: 28,
  member_steps: 10_000_000,
} as const;

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
  /**
   * Run jobs on these worker threads (the server does), so the event loop
   * keeps answering; their time is then measured on the worker's own thread
   * and `clock` gives only the timestamps. Default: in this thread.
   */
  pool?: EnkfWorkerPool;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function intIn(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UserError(`${name}: must be an integer ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The fields of a `POST /v1/enkf` body; any other is refused (it would be ignored silently). */
const REQUEST_FIELDS: ReadonlyArray<keyof ApiEnkfRequest> = [
  "observations",
  "obs_interval",
  "n_ens",
  "horizon",
  "seed",
];

/** Checks a request against the limits; returns the job's observations and options. */
function jobOf(
  request: ApiEnkfRequest,
  sample: ObservationSeries,
): { observations: ArrayLike<number>; options: EnkfOptions } {
  const unknown = Object.keys(request).filter((key) =>
    !(REQUEST_FIELDS as readonly string[]).includes(key)
  );
  if (unknown.length > 0) {
    throw new UserError(
      `POST /v1/enkf: unknown field${unknown.length === 1 ? "" : "s"} ${
        unknown.map((key) => JSON.stringify(key)).join(", ")
      }; the fields are ${REQUEST_FIELDS.join(", ")}`,
    );
  }
  const n_ens = intIn("n_ens", request.n_ens ?? 100, 2, ENKF_LIMITS.n_ens);
  let observations: ArrayLike<number> = sample.cases;
  let obs_interval = sample.interval;
  if (request.observations !== undefined) {
    const obs = request.observations;
    if (!Array.isArray(obs) || obs.length === 0 || obs.length > ENKF_LIMITS.observations) {
      throw new UserError(
        `observations: must be a list of 1 to ${ENKF_LIMITS.observations} case counts >= 0`,
      );
    }
    observations = obs;
    obs_interval = 1;
    if (request.obs_interval !== undefined) {
      obs_interval = intIn("obs_interval", request.obs_interval, 1, ENKF_LIMITS.obs_interval);
    }
  } else if (request.obs_interval !== undefined) {
    throw new UserError(
      `obs_interval: only with "observations" (the days each of your counts covers); ` +
        `the built-in sample is ${sample.interval === 1 ? "daily" : `${sample.interval}-day`}`,
    );
  }
  const horizon = request.horizon === undefined
    ? undefined
    : intIn("horizon", request.horizon, 0, ENKF_LIMITS.horizon);
  // as `simulate --seed`: a whole number >= 0
  const seed = intIn("seed", request.seed ?? 1, 0);
  const options: EnkfOptions = { n_ens, obs_interval, horizon, seed };
  const resolved = resolveEnkfOptions(options);
  // the same rules as the counts of `simulate --obs` (finite, >= 0, at most the population)
  checkObservations(observations, resolved.model.population);
  const n_steps = (observations.length + resolved.horizon) * resolved.obs_interval;
  const work = n_ens * n_steps;
  if (work > ENKF_LIMITS.member_steps) {
    throw new UserError(
      `n_ens x n_steps: ${n_ens} x ${n_steps} = ${work} member-steps is over the limit of ` +
        `${ENKF_LIMITS.member_steps} per job (n_steps = (${observations.length} observations + ` +
        `horizon ${resolved.horizon}) x obs_interval ${resolved.obs_interval}); ` +
        `lower n_ens, horizon or the number of observations`,
    );
  }
  return { observations, options };
}

/**
 * A function that runs one job per request and returns its forecast summary
 * (final beta, R0 and share infected with 5/50/95% quantiles; the forecast's
 * median and 90% band per period) with its usage event. Requests over the
 * limits ({@linkcode ENKF_LIMITS}), with a field it does not know, or that
 * break a rule of `simulate` (seed a whole number >= 0; case counts finite,
 * >= 0 and at most the model's population) are refused with a `UserError`
 * before any job runs.
 *
 * @example
 * ```ts
 * import { createEnkfRunner } from "./enkf.ts";
 * // const run = createEnkfRunner({ sink: queue, clock: realClock(), nextId: core.nextId.bind(core), sample, pool });
 * // const { forecast, event } = await run("dept_a", { n_ens: 100 });
 * ```
 */
export function createEnkfRunner(
  options: EnkfRunnerOptions,
): (tenant_id: string, request: ApiEnkfRequest) => Promise<ApiEnkfResponse> {
  const pool = options.pool;
  return async (tenant_id, request) => {
    const job = jobOf(request, options.sample);
    // refused before it starts: a job that never ran is not billed, not even as a failed run
    if (pool?.full) throw pool.busy();
    // on a worker, the job is timed there: the worker reports its timing to this clock
    const reported = pool ? reportedClock(options.clock) : null;
    const clock = reported ?? options.clock;
    const run = pool && reported
      ? async (): Promise<EnkfResult> => {
        try {
          // admitted: checked above, in this task; a refusal here would bill a failed run
          const { result, timing } = await pool.run(job.observations, job.options, {
            admitted: true,
          });
          reported.report(timing);
          return result;
        } catch (error) {
          if (error instanceof EnkfJobError && error.timing) reported.report(error.timing);
          throw error;
        }
      }
      : () => runEnkf(job.observations, job.options);
    const { result, event } = await instrument(run, {
      tenant_id,
      event_type: "enkf_run",
      clock,
      sink: options.sink,
      id: options.nextId(),
      n_particles: job.options.n_ens,
      describe: (r) => ({ n_particles: r.options.n_ens, n_steps: r.n_steps }),
    });
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
