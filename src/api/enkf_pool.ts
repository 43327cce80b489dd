/**
 * EnKF jobs off the server's main thread: {@linkcode EnkfWorkerPool} runs
 * each job on a worker thread, so that a long job never stalls the event
 * loop (other requests, the queue's flush timers, durable acks), and times it
 * there, on that thread's own CPU clock.
 *
 * @module
 */
import type { EnkfResult } from "../enkf/filter.ts";
import type { EnkfOptions } from "../enkf/options.ts";
import type { JobTiming } from "../metering/clock.ts";

/** A job sent to a worker. */
export interface EnkfWorkerRequest {
  seq: number;
  observations: Float64Array;
  options: EnkfOptions;
}

/** A worker's reply: the result and its timing, or why it failed (and how long it ran). */
export type EnkfWorkerReply =
  | { seq: number; result: EnkfResult; timing: JobTiming }
  | { seq: number; error: string; timing: JobTiming };

/** A job that failed on its worker; `timing` is how long it ran (null if the worker died). */
export class EnkfJobError extends Error {
  readonly timing: JobTiming | null;
  constructor(message: string, timing: JobTiming | null) {
    super(message);
    this.name = "EnkfJobError";
    this.timing = timing;
  }
}

/** The error of a job refused because as many jobs as the pool allows are already waiting. */
export class EnkfPoolBusyError extends Error {
  constructor(workers: number, waiting: number) {
    super(
      `EnKF workers busy: ${workers} job(s) running and ${waiting} waiting, the most allowed; retry later`,
    );
    this.name = "EnkfPoolBusyError";
  }
}

/** Options of {@linkcode EnkfWorkerPool}. */
export interface EnkfWorkerPoolOptions {
  /** Worker threads, each running one job at a time (default 1). */
  size?: number;
  /**
   * Jobs that may wait for a free worker (default 16); one more is refused
   * at once with {@linkcode EnkfPoolBusyError}, so a burst of long jobs gets
   * an answer instead of waiting without bound.
   */
  maxQueued?: number;
}

interface Pending {
  request: EnkfWorkerRequest;
  resolve(value: { result: EnkfResult; timing: JobTiming }): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
}

const WORKER_URL = new URL("./enkf_worker.ts", import.meta.url).href;

/**
 * A small pool of EnKF worker threads with a FIFO queue of jobs.
 *
 * @example
 * ```ts
 * import { EnkfWorkerPool } from "./enkf_pool.ts";
 * const pool = new EnkfWorkerPool();
 * await pool.warmUp();
 * const { result, timing } = await pool.run([3, 5, 9, 14, 22], { n_ens: 100, seed: 1 });
 * pool.close();
 * ```
 */
export class EnkfWorkerPool {
  readonly size: number;
  readonly maxQueued: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #seq = 0;
  #closed = false;
  #refused = 0;

  constructor(options: EnkfWorkerPoolOptions = {}) {
    const size = options.size ?? 1;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`EnkfWorkerPool size: must be an integer >= 1, got ${size}`);
    }
    this.size = size;
    const maxQueued = options.maxQueued ?? 16;
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new RangeError(`EnkfWorkerPool maxQueued: must be an integer >= 0, got ${maxQueued}`);
    }
    this.maxQueued = maxQueued;
  }

  /** Counts a refused job and returns its error (for callers that check {@linkcode full} first). */
  busy(): EnkfPoolBusyError {
    this.#refused++;
    return new EnkfPoolBusyError(this.size, this.#queue.length);
  }

  /** Whether a job given now would be refused (every worker busy, the queue full). */
  get full(): boolean {
    const idle = this.#slots.some((s) => s.job === null) || this.#slots.length < this.size;
    return !idle && this.#queue.length >= this.maxQueued;
  }

  /** Jobs refused because the pool was full. */
  get refused(): number {
    return this.#refused;
  }

  /** Jobs waiting for a free worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Runs one job on a worker; resolves with its result and the worker-measured
   * timing. Rejects at once with {@linkcode EnkfPoolBusyError} when the pool
   * is {@linkcode EnkfWorkerPool.full}, unless `admitted`: the caller checked
   * `full` itself in this same task (so that a refusal happens before it
   * starts anything, such as a metered job), or the job is the pool's own.
   */
  run(
    observations: ArrayLike<number>,
    options: EnkfOptions,
    run: { admitted?: boolean } = {},
  ): Promise<{ result: EnkfResult; timing: JobTiming }> {
    if (this.#closed) return Promise.reject(new Error("EnkfWorkerPool: closed"));
    if (!run.admitted && this.full) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      this.#queue.push({
        request: { seq: ++this.#seq, observations: Float64Array.from(observations), options },
        resolve,
        reject,
      });
      this.#feed();
    });
  }

  /**
   * Starts every worker and runs a few small jobs on each, so that the first
   * real job does not pay for module loading and JIT compilation (it would be
   * billed several times its warm cost). About 50 ms per worker.
   */
  async warmUp(): Promise<void> {
    const obs = Array.from({ length: 60 }, (_, i) => Math.round(3 * Math.exp(i / 12)));
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        // admitted: requests that arrive meanwhile must not make the warm-up fail
        Array.from(
          { length: this.size },
          () => this.run(obs, { n_ens: 200, seed: round }, { admitted: true }),
        ),
      );
    }
  }

  /** Stops the workers; jobs still waiting or running are rejected. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const error = new Error("EnkfWorkerPool: closed while the job was waiting or running");
    for (const pending of this.#queue.splice(0)) pending.reject(error);
    for (const slot of this.#slots.splice(0)) {
      slot.worker.terminate();
      slot.job?.reject(error);
    }
  }

  #feed(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.job === null);
      if (!slot && this.#slots.length < this.size) slot = this.#spawn();
      if (!slot) return;
      const pending = this.#queue.shift()!;
      slot.job = pending;
      slot.worker.postMessage(pending.request);
    }
  }

  #spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL, { type: "module" }), job: null };
    slot.worker.onmessage = (message: MessageEvent<EnkfWorkerReply>) => {
      const reply = message.data;
      const job = slot.job;
      if (!job || job.request.seq !== reply.seq) return;
      slot.job = null;
      if ("error" in reply) job.reject(new EnkfJobError(reply.error, reply.timing));
      else job.resolve({ result: reply.result, timing: reply.timing });
      this.#feed();
    };
    slot.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      // the worker is gone: fail its job, replace it for the next ones
      slot.worker.terminate();
      const at = this.#slots.indexOf(slot);
      if (at >= 0) this.#slots.splice(at, 1);
      slot.job?.reject(new EnkfJobError(`EnKF worker failed: ${event.message}`, null));
      slot.job = null;
      if (!this.#closed) this.#feed();
    };
    this.#slots.push(slot);
    return slot;
  }
}
