/**
 * The bounded in-process event queue between request handlers and a store:
 * events are flushed in batches (when a batch fills, or after an interval),
 * store errors are retried with backoff while events stay in memory up to the
 * bound, and a full queue either blocks the writer or sheds the event
 * (counted and logged, never silently).
 *
 * @module
 */
import type { UsageEvent } from "../events/mod.ts";
import type { EventBuilder, EventSink } from "./sink.ts";
import { errorMessage } from "../errors.ts";

/** Where a {@linkcode QueueSink} writes its batches: the WAL, PostgreSQL, ... */
export interface BatchStore {
  /** A short name for logs, like `wal data/events/wal` or `postgres`. */
  readonly name: string;
  /** Stores the events durably; resolves only once they are (e.g. fsynced). Must be idempotent by id. */
  writeBatch(events: UsageEvent[]): Promise<void>;
  /** Releases files and connections. */
  close(): Promise<void>;
}

/** What a full queue does. */
export type Backpressure = "block" | "shed";

/** Options of {@linkcode QueueSink}. */
export interface QueueOptions {
  /** The most events held in memory, queued or being written (default 100,000). */
  capacity?: number;
  /** Flush as soon as this many events wait (default 1,000). */
  batchSize?: number;
  /** Flush waiting events at least this often, in ms (default 50). */
  flushIntervalMs?: number;
  /** A full queue: `block` (the writer waits; default) or `shed` (the event is dropped and counted). */
  backpressure?: Backpressure;
  /**
   * Durable mode: `write()` resolves only once the event's batch is stored
   * (fsynced). Events that arrive while a batch is being written go out
   * together in the next one, so concurrent writers share one fsync (group
   * commit), with up to `maxInflightBatches` commits overlapping.
   */
  durable?: boolean;
  /**
   * Batches the store may be writing at once (default 4 when durable, else
   * 1). With the WAL, writes stay in order and only the fsyncs overlap, so a
   * slow fsync does not hold back the next group commit.
   */
  maxInflightBatches?: number;
  /** First retry delay after a store error, in ms (default 50); doubles up to `retryMaxMs`. */
  retryInitialMs?: number;
  /** Longest retry delay, in ms (default 5,000). */
  retryMaxMs?: number;
  /** Log lines (default `console.error`). */
  log?: (message: string) => void;
  /** A monotonic clock in ms for rate-limiting log lines (default `performance.now`). */
  monotonic?: () => number;
}

/** Counters of a {@linkcode QueueSink}, for `/metrics`. */
export interface QueueMetrics {
  /** Events in memory: waiting plus being written. */
  depth: number;
  capacity: number;
  /** Events accepted. */
  enqueued: number;
  /** Events stored. */
  flushed: number;
  /** Batches stored. */
  batches: number;
  /** Events dropped because the queue was full (`shed` mode). */
  shed: number;
  /** Failed store attempts (each retried). */
  failed: number;
  /**
   * Events lost: abandoned at close because the store never came back, or
   * deferred events whose builder threw (each logged).
   */
  lost: number;
  /** Writers waiting for room (`block` mode). */
  blocked: number;
  /** The latest store error, while the store is failing. */
  last_error: string | null;
}

/** The error a full queue in `shed` mode rejects a write with. */
export class QueueFullError extends Error {
  constructor(capacity: number) {
    super(`metering queue full (capacity ${capacity}): event shed`);
    this.name = "QueueFullError";
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const RESOLVED = Promise.resolve();

/**
 * A bounded queue in front of a {@linkcode BatchStore}.
 *
 * @example
 * ```ts
 * import { QueueSink, type BatchStore } from "./queue.ts";
 * const stored: unknown[] = [];
 * const store: BatchStore = { name: "array", writeBatch: async (b) => void stored.push(...b), close: async () => {} };
 * const queue = new QueueSink(store, { batchSize: 100, flushIntervalMs: 10 });
 * await queue.write({ id: "e1", ts: "2026-10-01T00:00:00.000Z", tenant_id: "dept_a", event_type: "api_call", compute_units: 0.001 });
 * await queue.close(); // flushes: stored.length === 1
 * ```
 */
export class QueueSink implements EventSink {
  readonly store: BatchStore;
  readonly capacity: number;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly backpressure: Backpressure;
  readonly durable: boolean;
  readonly maxInflightBatches: number;
  readonly #retryInitialMs: number;
  readonly #retryMaxMs: number;
  readonly #log: (message: string) => void;
  readonly #monotonic: () => number;

  /** Waiting events; an {@linkcode EventBuilder} is built when its batch goes out. */
  #pending: Array<UsageEvent | EventBuilder> = [];
  #pendingAck: Deferred | null = null;
  /** Batches being written, oldest first. */
  #batches: Array<{ size: number; unbuilt: number; done: boolean }> = [];
  #inflight = 0;
  #closing = false;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether {@linkcode #timer} is the next-task timer of a full batch. */
  #timerSoon = false;
  #sleepers = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  #spaceWaiters: Array<() => void> = [];
  #flushWaiters: Array<{ target: number; resolve: () => void }> = [];
  #lastShedLog = -Infinity;
  #shedSinceLog = 0;
  #metrics = { enqueued: 0, flushed: 0, batches: 0, shed: 0, failed: 0, lost: 0 };
  #lastError: string | null = null;
  /** Deferred events whose builder threw (counted in `lost`). */
  #unbuilt = 0;
  /** Those of them in batches already settled: with `flushed`, what flush waiters wait for. */
  #unbuiltSettled = 0;

  constructor(store: BatchStore, options: QueueOptions = {}) {
    this.store = store;
    this.capacity = options.capacity ?? 100_000;
    this.batchSize = Math.min(options.batchSize ?? 1000, this.capacity);
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.backpressure = options.backpressure ?? "block";
    this.durable = options.durable ?? false;
    this.maxInflightBatches = Math.max(1, options.maxInflightBatches ?? (this.durable ? 4 : 1));
    this.#retryInitialMs = options.retryInitialMs ?? 50;
    this.#retryMaxMs = options.retryMaxMs ?? 5000;
    this.#log = options.log ?? ((message) => console.error(message));
    this.#monotonic = options.monotonic ?? (() => performance.now());
    if (!(this.capacity >= 1) || !(this.batchSize >= 1)) {
      throw new RangeError(
        `QueueSink: capacity and batchSize must be >= 1, got ${this.capacity} and ${this.batchSize}`,
      );
    }
    if (this.backpressure !== "block" && this.backpressure !== "shed") {
      throw new RangeError(
        `QueueSink: backpressure must be "block" or "shed", got ${
          JSON.stringify(this.backpressure)
        }`,
      );
    }
  }

  /** Events in memory (waiting plus being written). */
  get depth(): number {
    return this.#pending.length + this.#inflight;
  }

  /** A snapshot of the counters. */
  metrics(): QueueMetrics {
    return {
      depth: this.depth,
      capacity: this.capacity,
      ...this.#metrics,
      blocked: this.#spaceWaiters.length,
      last_error: this.#lastError,
    };
  }

  /**
   * Queues one event. Resolves once queued (or, in durable mode, once stored);
   * in `block` mode waits for room first; in `shed` mode a full queue rejects
   * with {@linkcode QueueFullError} (and counts and logs the drop). Rejects
   * after {@linkcode close}.
   */
  write(event: UsageEvent): Promise<void> {
    return this.#accept(event);
  }

  /**
   * Queues an event that is built only when its batch is taken for the store
   * (after the current task, off the request path): exactly like
   * {@linkcode write} otherwise, with room checked, backpressure applied and
   * the event counted now; `true` when it was queued at once. `build` must be
   * a pure function of values already captured; if it throws anyway, that
   * event is lost, counted in `lost` and logged. In durable mode the event is
   * built at once (a throwing builder rejects), since the writer waits for
   * its batch to be stored anyway.
   */
  writeLater(build: EventBuilder): true | Promise<void> {
    if (this.durable) {
      let event: UsageEvent;
      try {
        event = build();
      } catch (error) {
        return Promise.reject(error);
      }
      return this.#accept(event);
    }
    const accepted = this.#accept(build);
    return accepted === RESOLVED ? true : accepted;
  }

  #accept(event: UsageEvent | EventBuilder): Promise<void> {
    if (this.#closing) {
      return Promise.reject(new Error("metering queue is closed: event not accepted"));
    }
    if (this.depth >= this.capacity) {
      if (this.backpressure === "shed") return Promise.reject(this.#shed());
      return this.#writeWhenRoom(event);
    }
    return this.#enqueue(event);
  }

  async #writeWhenRoom(event: UsageEvent | EventBuilder): Promise<void> {
    while (this.depth >= this.capacity) {
      if (this.#closing) throw new Error("metering queue is closed: event not accepted");
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    }
    return this.#enqueue(event);
  }

  #shed(): QueueFullError {
    this.#metrics.shed++;
    this.#shedSinceLog++;
    const now = this.#monotonic();
    if (now - this.#lastShedLog >= 1000) {
      this.#log(
        `metering: queue full (${this.depth}/${this.capacity} events, store ${this.store.name}${
          this.#lastError ? ` failing: ${this.#lastError}` : ""
        }): shed ${this.#shedSinceLog} event(s); ${this.#metrics.shed} shed in total`,
      );
      this.#lastShedLog = now;
      this.#shedSinceLog = 0;
    }
    return new QueueFullError(this.capacity);
  }

  #enqueue(event: UsageEvent | EventBuilder): Promise<void> {
    this.#pending.push(event);
    this.#metrics.enqueued++;
    if (this.durable) {
      this.#pendingAck ??= deferred();
      const ack = this.#pendingAck.promise;
      this.#kick();
      return ack;
    }
    // a full batch goes out after the current task, not inside the write that filled it, so
    // that no request pays for building and encoding a whole batch before its response
    this.#arm(this.#pending.length >= this.batchSize);
    return RESOLVED;
  }

  /**
   * Starts the interval timer if events wait and none runs; `soon`: a timer
   * for the next task instead (a full batch), replacing the interval timer.
   */
  #arm(soon = false): void {
    if (this.#closed || this.#pending.length === 0) return;
    if (this.#timer !== undefined) {
      if (!soon || this.#timerSoon) return;
      clearTimeout(this.#timer);
    }
    this.#timerSoon = soon;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerSoon = false;
      this.#kick(!soon);
    }, soon ? 0 : this.flushIntervalMs);
  }

  /** Whether waiting events should go out now rather than wait to fill a batch. */
  #urgent(): boolean {
    return this.durable || this.#closing || this.#flushWaiters.length > 0;
  }

  /**
   * Starts writing waiting events as batches, up to `maxInflightBatches` at a
   * time; `due` when the interval has elapsed.
   */
  #kick(due = false): void {
    while (
      this.#pending.length > 0 && this.#batches.length < this.maxInflightBatches &&
      (due || this.#urgent() || this.#pending.length >= this.batchSize)
    ) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#timerSoon = false;
      }
      const waiting = this.#pending.length;
      const batch = this.#build(this.#pending);
      const ack = this.#pendingAck;
      this.#pending = [];
      this.#pendingAck = null;
      // events whose builder threw count as settled with this batch, in order
      const entry = { size: batch.length, unbuilt: waiting - batch.length, done: false };
      this.#batches.push(entry);
      this.#inflight += batch.length;
      this.#writeWithRetry(batch).then(() => {
        entry.done = true;
        this.#inflight -= entry.size;
        ack?.resolve(); // this batch is stored (fsynced), whatever the others do
        this.#settle();
      }, (error) => {
        // only when closed with the store still failing: counted as lost by close()
        ack?.reject(error);
      });
    }
    if (this.#pending.length > 0) this.#arm();
  }

  /** The events of a batch, building the deferred ones (in order). */
  #build(waiting: Array<UsageEvent | EventBuilder>): UsageEvent[] {
    const batch: UsageEvent[] = [];
    for (const e of waiting) {
      if (typeof e !== "function") {
        batch.push(e);
        continue;
      }
      try {
        batch.push(e());
      } catch (error) {
        // a builder is the caller's code: its bug loses that event, loudly, and nothing else
        this.#unbuilt++;
        this.#metrics.lost++;
        this.#log(
          `metering: an event could not be built and is lost (${this.#unbuilt} so far): ${
            errorMessage(error)
          }`,
        );
      }
    }
    return batch;
  }

  /** Counts finished batches in order, wakes writers and flushes, and starts more. */
  #settle(): void {
    while (this.#batches.length > 0 && this.#batches[0].done) {
      const { size, unbuilt } = this.#batches.shift()!;
      this.#metrics.flushed += size;
      this.#unbuiltSettled += unbuilt;
      this.#metrics.batches++;
    }
    this.#releaseSpace();
    this.#resolveFlushes();
    this.#kick();
  }

  #resolveFlushes(): void {
    const done = this.#metrics.flushed + this.#unbuiltSettled;
    this.#flushWaiters = this.#flushWaiters.filter((w) => {
      if (w.target > done) return true;
      w.resolve();
      return false;
    });
  }

  async #writeWithRetry(batch: UsageEvent[]): Promise<void> {
    let delay = this.#retryInitialMs;
    for (let attempt = 1;; attempt++) {
      try {
        await this.store.writeBatch(batch);
        if (this.#lastError !== null) {
          this.#log(
            `metering: store ${this.store.name} is back after ${
              attempt - 1
            } failed attempt(s); ${batch.length} event(s) stored`,
          );
          this.#lastError = null;
        }
        return;
      } catch (error) {
        this.#metrics.failed++;
        const message = errorMessage(error);
        this.#lastError = message;
        if (this.#closed) throw error;
        this.#log(
          `metering: store ${this.store.name} failed (attempt ${attempt}): ${message}; ${this.depth} event(s) kept in memory (capacity ${this.capacity}), retrying in ${delay} ms`,
        );
        await new Promise<void>((resolve) => {
          const sleeper = {
            timer: setTimeout(() => {
              this.#sleepers.delete(sleeper);
              resolve();
            }, delay),
            resolve,
          };
          this.#sleepers.add(sleeper);
        });
        if (this.#closed) throw error;
        delay = Math.min(delay * 2, this.#retryMaxMs);
      }
    }
  }

  #releaseSpace(): void {
    while (this.#spaceWaiters.length > 0 && this.depth < this.capacity) {
      this.#spaceWaiters.shift()!();
    }
  }

  /**
   * Writes everything queued so far; resolves when it is stored (retrying
   * store errors meanwhile). Events queued later do not delay it.
   */
  flush(): Promise<void> {
    const target = this.#metrics.enqueued;
    if (this.#metrics.flushed + this.#unbuiltSettled >= target) return RESOLVED;
    const done = new Promise<void>((resolve) => this.#flushWaiters.push({ target, resolve }));
    this.#kick();
    return done;
  }

  /**
   * Stops accepting events, drains the queue into the store, and closes the
   * store. If the store still fails after `timeoutMs` (default 30 s), the
   * events left are counted as lost and logged, and close resolves anyway.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<QueueMetrics> {
    if (this.#closed) return this.metrics();
    this.#closing = true;
    for (const resolve of this.#spaceWaiters.splice(0)) resolve(); // they will see "closed"
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = this.flush().then(() => true);
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ok = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    this.#closed = true;
    if (!ok) {
      const lost = this.#metrics.enqueued - this.#metrics.flushed - this.#unbuilt;
      this.#metrics.lost += lost;
      this.#log(
        `metering: store ${this.store.name} still failing after ${timeoutMs} ms at shutdown (${this.#lastError}); ${lost} event(s) not stored`,
      );
      for (const sleeper of this.#sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.resolve();
      }
      this.#sleepers.clear();
      const err = new Error(`metering: shut down before the store accepted the event`);
      this.#pendingAck?.reject(err);
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.store.close();
    return this.metrics();
  }
}
