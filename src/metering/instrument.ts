/**
 * The job wrapper: runs any job, measures it with an injected clock, turns
 * the measure into compute units with a named formula, and emits exactly one
 * usage event to a sink, `status: "ok"` or, when the job throws,
 * `status: "failed"` with zero compute units (the error then propagates).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { eventProblem, type UsageEvent } from "../events/mod.ts";
import type { JobClock, JobSize, JobTiming } from "./clock.ts";
import {
  COMPUTE_UNIT_FORMULAS,
  type ComputeUnitFormula,
  resolveFormula,
  roundMicro,
} from "./formula.ts";
import type { EventSink } from "./sink.ts";

/** Options of {@linkcode instrument}. */
export interface InstrumentOptions<T> {
  tenant_id: string;
  /** The event type, e.g. `enkf_run`. */
  event_type: string;
  /** The clock: `realClock()` in production, `costModelClock(model)` in seeded runs. */
  clock: JobClock;
  /** Where the event goes. */
  sink: EventSink;
  /** The formula (a name in `formulas`, or an object). Default `"seed"`. */
  formula?: string | ComputeUnitFormula;
  /** The registry names are looked up in. Default the built-ins. */
  formulas?: Readonly<Record<string, ComputeUnitFormula>>;
  /** The event id. Default `clock.nextId()`. */
  id?: string;
  /** The event timestamp. Default `clock.now()` when the job starts. */
  ts?: Date | string;
  /** Particles / ensemble members, when known up front. Default 0. */
  n_particles?: number;
  /** Model steps, when known up front. Default 0. */
  n_steps?: number;
  /** Reads the job's size from its result (overrides n_particles / n_steps). */
  describe?: (result: T) => Partial<JobSize>;
}

/** A finished job: its result and the event emitted for it. */
export interface Instrumented<T> {
  result: T;
  event: UsageEvent;
}

function checkSize(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new UserError(`instrument ${name}: must be an integer >= 0, got ${value}`);
  }
  return value;
}

/**
 * Runs `job` once, measured, and writes one usage event for it to the sink.
 * Returns the job's result with the event. If the job throws (or, after it
 * ran, `describe` throws or the formula gives no valid number), a `failed`
 * event (0 compute units) is written and the error is rethrown.
 *
 * @example
 * ```ts
 * import { costModelClock, instrument, MemorySink } from "./mod.ts";
 * const sink = new MemorySink();
 * const { result, event } = await instrument(() => 42, {
 *   tenant_id: "dept_a", event_type: "enkf_run", sink,
 *   clock: costModelClock({ a: 2.5e-7, b: 0.002 }), n_particles: 200, n_steps: 100,
 * });
 * event.compute_units; // 200 x 100 x 0.007 / 1000 = 0.14
 * ```
 */
export async function instrument<T>(
  job: () => T | Promise<T>,
  options: InstrumentOptions<T>,
): Promise<Instrumented<T>> {
  const formula = resolveFormula(
    options.formula ?? "seed",
    options.formulas ?? COMPUTE_UNIT_FORMULAS,
  );
  const clock = options.clock;
  const started = options.ts === undefined ? clock.now() : new Date(options.ts);
  if (Number.isNaN(started.getTime())) {
    throw new UserError(`instrument ts: not a timestamp: ${JSON.stringify(options.ts)}`);
  }
  const id = options.id ?? clock.nextId();
  const size: JobSize = {
    n_particles: checkSize("n_particles", options.n_particles ?? 0),
    n_steps: checkSize("n_steps", options.n_steps ?? 0),
  };
  const base: UsageEvent = {
    id,
    ts: started.toISOString(),
    tenant_id: options.tenant_id,
    event_type: options.event_type,
    compute_units: 0,
  };
  const problem = eventProblem(base);
  if (problem) throw new UserError(`instrument: the event would be invalid: ${problem}`);

  const watch = clock.start();
  let timing: JobTiming | null = null; // stop the watch once: the cost-model clock advances on it
  let result: T;
  let event: UsageEvent;
  try {
    result = await job();
    if (options.describe) {
      const d = options.describe(result);
      if (d.n_particles !== undefined) size.n_particles = checkSize("n_particles", d.n_particles);
      if (d.n_steps !== undefined) size.n_steps = checkSize("n_steps", d.n_steps);
    }
    timing = watch.stop(size);
    // the formula sees the seconds as stored, so anyone can recompute the units from the event
    const seconds = roundMicro(timing.compute_seconds);
    const units = formula.units({ ...size, ...timing, compute_seconds: seconds });
    if (!Number.isFinite(units) || units < 0) {
      throw new Error(`compute-unit formula "${formula.name}" returned ${units} (must be >= 0)`);
    }
    event = {
      ...base,
      n_particles: size.n_particles,
      n_steps: size.n_steps,
      compute_seconds: seconds,
      compute_units: roundMicro(units),
      duration_ms: Math.round(timing.wall_seconds * 1e6) / 1e3,
      status: "ok",
    };
  } catch (error) {
    // the job, describe() or the formula failed: the job ran, so it gets its "failed" event
    timing ??= watch.stop(size);
    const failed: UsageEvent = {
      ...base,
      n_particles: size.n_particles,
      n_steps: size.n_steps,
      compute_seconds: roundMicro(timing.compute_seconds),
      compute_units: 0,
      duration_ms: Math.round(timing.wall_seconds * 1e6) / 1e3,
      status: "failed",
    };
    try {
      await options.sink.write(failed);
    } catch (sinkError) {
      throw new AggregateError(
        [error, sinkError],
        `job failed, and so did writing its "failed" usage event ${id}`,
      );
    }
    throw error;
  }
  await options.sink.write(event);
  return { result, event };
}
