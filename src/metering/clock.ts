/**
 * Clocks for instrumented jobs, injected so that production measures real
 * time while seeded runs are reproducible byte for byte:
 * - {@linkcode realClock}: wall time (performance.now), CPU time (of the
 *   calling thread where FFI can read it, else of the whole process: see
 *   {@linkcode threadCpuWarning}), the system time for timestamps and random
 *   UUIDs for ids;
 * - {@linkcode costModelClock}: seconds from the calibrated cost model
 *   (a × n_ens × n_steps + b), a virtual time that starts at a given instant
 *   and advances by each job's seconds, and ids derived from a seed.
 *
 * @module
 */
import process from "node:process";
import { UserError } from "../errors.ts";
import { type CostModel, costModelSeconds } from "./cost_model.ts";
import { threadCpuSeconds } from "./thread_cpu.ts";

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

/** Options of {@linkcode realClock}. */
export interface RealClockOptions {
  /**
   * The billable seconds: `"cpu"` (default: CPU seconds while the job ran, so
   * waiting on I/O is free) or `"wall"` (elapsed time).
   */
  basis?: "cpu" | "wall";
  /**
   * Whose CPU time: `"thread"` (default: the calling thread's, from
   * `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` called through FFI on Linux and
   * macOS, see {@linkcode threadCpuSeconds}; silently the whole process's where
   * that is unavailable, so check {@linkcode threadCpuWarning} at start-up) or
   * `"process"` (user + system time of every thread, `process.cpuUsage()`:
   * other threads' work, such as WAL fsyncs, is billed to the job too).
   */
  cpu?: "thread" | "process";
}

function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * The production clock. CPU time is the calling thread's by default, so run
 * a job on a thread of its own (a worker) to bill it alone: on a shared
 * thread, work interleaved with an async job (other requests) is counted too.
 *
 * @example
 * ```ts
 * import { realClock } from "./clock.ts";
 * const watch = realClock().start();
 * // ... work ...
 * const timing = watch.stop({ n_particles: 100, n_steps: 50 });
 * ```
 */
export function realClock(options: RealClockOptions = {}): JobClock {
  const basis = options.basis ?? "cpu";
  const cpu = (options.cpu ?? "thread") === "thread"
    ? threadCpuSeconds() ?? processCpuSeconds
    : processCpuSeconds;
  return {
    kind: "real",
    now: () => new Date(),
    nextId: () => crypto.randomUUID(),
    start() {
      const wall0 = performance.now();
      const cpu0 = cpu();
      return {
        stop() {
          const wall_seconds = (performance.now() - wall0) / 1000;
          const cpu_seconds = Math.max(0, cpu() - cpu0);
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

/**
 * One warning line when the calling thread's CPU time cannot be read (FFI not
 * allowed, or an OS other than Linux and macOS), else `null`: then
 * {@linkcode realClock} bills each job the whole process's CPU time while it
 * runs, the server's and other jobs' work included. `reader` is what
 * {@linkcode threadCpuSeconds} returns (injected in tests).
 *
 * @example
 * ```ts
 * import { threadCpuWarning } from "./clock.ts";
 * threadCpuWarning(() => 0.5); // null: thread CPU time is there
 * threadCpuWarning(null); // "warning: thread CPU time is unavailable ..."
 * ```
 */
export function threadCpuWarning(
  reader: (() => number) | null = threadCpuSeconds(),
): string | null {
  if (reader) return null;
  return "warning: thread CPU time is unavailable (it needs --allow-ffi, on Linux or macOS), so " +
    "each metered job is billed the whole process's CPU time while it runs, the server's and " +
    "other jobs' included; run with --allow-ffi (deno task serve allows everything)";
}

/** A clock that is told the timing of its job: see {@linkcode reportedClock}. */
export interface ReportedClock extends JobClock {
  /** Hands over the timing measured where the job ran. */
  report(timing: JobTiming): void;
}

/**
 * A clock for one job measured where it runs (a worker thread): its
 * stopwatch returns the timing passed to `report()`, or, when nothing was
 * reported (the job failed before it was measured), what `base`'s stopwatch
 * measured. Timestamps and ids come from `base`. Make one per job.
 *
 * @example
 * ```ts
 * import { realClock, reportedClock } from "./clock.ts";
 * const clock = reportedClock(realClock());
 * const watch = clock.start();
 * clock.report({ wall_seconds: 0.02, cpu_seconds: 0.018, compute_seconds: 0.018 });
 * watch.stop({ n_particles: 100, n_steps: 98 }).compute_seconds; // 0.018
 * ```
 */
export function reportedClock(base: JobClock): ReportedClock {
  let reported: JobTiming | null = null;
  return {
    kind: base.kind,
    now: () => base.now(),
    nextId: () => base.nextId(),
    report(timing) {
      reported = { ...timing };
    },
    start() {
      const watch = base.start();
      return { stop: (size) => reported ?? watch.stop(size) };
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
