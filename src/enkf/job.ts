/**
 * EnKF runs as metered jobs: {@linkcode runInstrumentedEnkf} wraps one
 * {@linkcode runEnkf} call in {@linkcode instrument}, and
 * {@linkcode instrumentedEnkfRun} runs a small synthetic job with the
 * cost-model clock and returns its usage event (the demo scenario's
 * `enkf_run` events come from it).
 *
 * @module
 */
import type { UsageEvent } from "../events/mod.ts";
import { costModelClock } from "../metering/clock.ts";
import type { CostModel } from "../metering/cost_model.ts";
import type { ComputeUnitFormula } from "../metering/formula.ts";
import { instrument, type Instrumented, type InstrumentOptions } from "../metering/instrument.ts";
import { type EventSink, MemorySink } from "../metering/sink.ts";
import { type EnkfResult, runEnkf } from "./filter.ts";
import type { EnkfOptions } from "./options.ts";
import { Rng, type RngSeed } from "./rng.ts";
import { simulateSeir } from "./seir.ts";

/**
 * Runs the EnKF as an instrumented job: the event's n_particles is the
 * ensemble size and n_steps the model days simulated (fit + forecast).
 *
 * @example
 * ```ts
 * import { runInstrumentedEnkf, simulateSeir } from "./mod.ts";
 * import { costModelClock, MemorySink } from "../metering/mod.ts";
 * const { cases } = simulateSeir({ days: 60, beta: 0.5, seed: 1 });
 * const { result, event } = await runInstrumentedEnkf(cases, { n_ens: 100, seed: 1 }, {
 *   tenant_id: "dept_a", event_type: "enkf_run", sink: new MemorySink(),
 *   clock: costModelClock({ a: 2.5e-7, b: 0.002 }),
 * });
 * ```
 */
export function runInstrumentedEnkf(
  observations: ArrayLike<number>,
  enkf: EnkfOptions,
  metering: Omit<InstrumentOptions<EnkfResult>, "describe">,
): Promise<Instrumented<EnkfResult>> {
  return instrument(() => runEnkf(observations, enkf), {
    ...metering,
    n_particles: metering.n_particles ?? (typeof enkf.n_ens === "number" ? enkf.n_ens : 0),
    describe: (r) => ({ n_particles: r.options.n_ens, n_steps: r.n_steps }),
  });
}

/** Options of {@linkcode instrumentedEnkfRun}. */
export interface InstrumentedEnkfRunOptions {
  tenant_id: string;
  /** The event timestamp. */
  ts: string | Date;
  /** The event id. */
  id: string;
  /** Ensemble size, >= 2. */
  n_ens: number;
  /** Model days, >= 1 (all of them filtered; no forecast). */
  n_steps: number;
  /** RngSeed of the synthetic epidemic and of the filter. */
  seed: RngSeed;
  /** The calibrated cost model (see `loadCostModel`). */
  costModel: CostModel;
  /** Default `"enkf_run"`. */
  event_type?: string;
  /** Compute-unit formula. Default `"seed"`. */
  formula?: string | ComputeUnitFormula;
  /** Also write the event here (it is returned either way). */
  sink?: EventSink;
}

/**
 * Really runs a small EnKF job (a synthetic SEIR epidemic of `n_steps` days
 * with a seed-drawn beta, filtered by `n_ens` members) under the
 * deterministic cost-model clock, and returns its usage event. The same
 * options give a byte-identical event.
 *
 * Cost: about n_ens × n_steps × 0.2 µs of real time on a 2-core machine.
 *
 * @example
 * ```ts
 * import { instrumentedEnkfRun } from "./mod.ts";
 * const event = await instrumentedEnkfRun({
 *   tenant_id: "dept_a", ts: "2026-10-03T14:05:09.123Z", id: "evt-0001",
 *   n_ens: 50, n_steps: 60, seed: 1, costModel: { a: 2.5e-7, b: 0.002 },
 * });
 * event.compute_units; // 50 x 60 x (2.5e-7 x 3000 + 0.002) / 1000 = 0.00825
 * ```
 */
export async function instrumentedEnkfRun(
  options: InstrumentedEnkfRunOptions,
): Promise<UsageEvent> {
  const rng = new Rng(`demo:${String(options.seed)}`);
  const beta = 0.3 + 0.4 * rng.uniform();
  const sink = options.sink ?? new MemorySink();
  const { event } = await instrument(() => {
    const { cases } = simulateSeir({ days: options.n_steps, beta, seed: options.seed });
    return runEnkf(cases, { n_ens: options.n_ens, seed: options.seed, horizon: 0 });
  }, {
    tenant_id: options.tenant_id,
    event_type: options.event_type ?? "enkf_run",
    clock: costModelClock(options.costModel),
    sink,
    formula: options.formula,
    id: options.id,
    ts: options.ts,
    n_particles: options.n_ens,
    n_steps: options.n_steps,
    describe: (r) => ({ n_particles: r.options.n_ens, n_steps: r.n_steps }),
  });
  return event;
}
