/**
 * Clocks for instrumented jobs, injected so that production measures real
 * time while seeded runs are reproducible byte for byte:
 * - {@linkcode realClock}: wall time (performance.now), CPU time
 *   (process.cpuUsage from node:process), the system time for timestamps and
 *   random UUIDs for ids;
 * - {@linkcode costModelClock}: seconds from the calibrated cost model
 *   (a × n_ens × n_steps + b), a virtual time that starts at a given instant
 *   and advances by each job's seconds, and ids derived from a seed.
 *
 * @module
 */
import process from "node:process";
import { UserError } from "../errors.ts";
import { type CostModel, costModelSeconds } from "./cost_model.ts";

/** The size of a job, as the formula and the cost model see it. */
export interface JobSize {
  n_particles: number;
  n_steps: number;
}

/** The times a clock reports for one job. */
export interface JobTiming {
  wall_seconds: number;
  cpu_seconds: number;
  /** The billable seconds: CPU or wall seconds (real clock) or the cost model's. */
  compute_seconds: number;
}

/** A started measurement. */
export interface Stopwatch {
  /** Ends it; `size` is the job's final size (the cost model needs it). */
  stop(size: JobSize): JobTiming;
}

/** A clock for instrumented jobs. */
export interface JobClock {
  /** `"real"` or `"cost_model"` (or a custom clock's name). */
  readonly kind: string;
  /** The timestamp of a job starting now. */
  now(): Date;
  /** Starts measuring one job. */
  start(): Stopwatch;
  /** A new event id. */
  nextId(): string;
}

/**
 * The production clock.
 *
 * `basis` picks the billable seconds: `"cpu"` (default: user + system CPU
 * seconds of this process while the job ran, so waiting on I/O is free) or
 * `"wall"` (elapsed time).
 *
 * @example
 * ```ts
 * import { realClock } from "./clock.ts";
 * const watch = realClock().start();
 * // ... work ...
 * const timing = watch.stop({ n_particles: 100, n_steps: 50 });
 * ```
 */
export function realClock(options: { basis?: "cpu" | "wall" } = {}): JobClock {
  const basis = options.basis ?? "cpu";
  return {
    kind: "real",
    now: () => new Date(),
    nextId: () => crypto.randomUUID(),
    start() {
      const wall0 = performance.now();
      const cpu0 = process.cpuUsage();
      return {
        stop() {
          const wall_seconds = (performance.now() - wall0) / 1000;
          const cpu = process.cpuUsage(cpu0);
          const cpu_seconds = (cpu.user + cpu.system) / 1e6;
          return {
            wall_seconds,
            cpu_seconds,
            compute_seconds: basis === "cpu" ? cpu_seconds : wall_seconds,
          };
        },
      };
    },
  };
}

/** Options of {@linkcode costModelClock}. */
export interface CostModelClockOptions {
  /** The virtual time of the first job. Default 2026-01-01T00:00:00.000Z. */
  start?: Date | string;
  /** RngSeed of the ids (a number or string). Default 0. */
  seed?: number | string;
}

/** A tiny seeded 32-bit generator for ids (FNV-1a of the seed, then splitmix32). */
function idWords(seed: number | string): () => number {
  const text = `ids:${typeof seed}:${String(seed)}`;
  let state = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 0x01000193);
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Formats four 32-bit words as a version-4-shaped UUID. */
function uuidFrom(next: () => number): string {
  const hex = (x: number) => x.toString(16).padStart(8, "0");
  const w0 = hex(next()), w1 = hex(next()), w2 = hex(next()), w3 = hex(next());
  const variant = "89ab"[parseInt(w2[0], 16) & 3];
  return `${w0}-${w1.slice(0, 4)}-4${w1.slice(5, 8)}-${variant}${w2.slice(1, 4)}-${
    w2.slice(4)
  }${w3}`;
}

/**
 * The deterministic clock of seeded runs: every job costs the cost model's
 * seconds (as wall, CPU and compute seconds alike); `now()` starts at
 * `start` and advances by each finished job's seconds (rounded to the
 * millisecond); ids come from a PRNG seeded with `seed`.
 *
 * @example
 * ```ts
 * import { costModelClock } from "./clock.ts";
 * const clock = costModelClock({ a: 2.5e-7, b: 0.002 }, { start: "2026-10-01T00:00:00Z", seed: 7 });
 * clock.start().stop({ n_particles: 1000, n_steps: 365 }).compute_seconds; // 0.09325
 * ```
 */
export function costModelClock(model: CostModel, options: CostModelClockOptions = {}): JobClock {
  const start = options.start === undefined
    ? Date.parse("2026-01-01T00:00:00.000Z")
    : new Date(options.start).getTime();
  if (Number.isNaN(start)) {
    throw new UserError(`costModelClock start: not a timestamp: ${String(options.start)}`);
  }
  let virtual = start;
  const ids = idWords(options.seed ?? 0);
  return {
    kind: "cost_model",
    now: () => new Date(virtual),
    nextId: () => uuidFrom(ids),
    start() {
      return {
        stop(size) {
          const seconds = costModelSeconds(model, size.n_particles, size.n_steps);
          virtual += Math.round(seconds * 1000);
          return { wall_seconds: seconds, cpu_seconds: seconds, compute_seconds: seconds };
        },
      };
    },
  };
}
