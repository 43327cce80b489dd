/**
 * Row-group checking and encoding on worker threads: the writer's thread
 * keeps producing chunks while the ones before are checked
 * checked, encoded and compressed ({@linkcode encodeRowGroup}) elsewhere.
 *
 * @module
 */
import type { ChunkStats, EventChunk } from "./event_chunk.ts";
import { type CompressedColumn, type EncodedChunk, encodeRowGroup } from "./parquet_pages.ts";
import type { EncodeRequest } from "./parquet_worker.ts";

/** Options of {@linkcode EncoderPool}. */
export interface EncoderPoolOptions {
  /** Worker threads; 0 encodes on the calling thread (default: the CPU count, 1 to 4). */
  workers?: number;
  /** zstd level (default 1, as the store's DuckDB writes use). */
  level?: number;
}

interface Waiting {
  resolve(encoded: EncodedChunk): void;
  reject(error: Error): void;
}

/**
 * A pool of row-group encoders. `encode` moves the chunk's column buffers
 * to a worker (the chunk is unusable afterwards); `close` stops the workers.
 *
 * @example
 * ```ts ignore
 * using pool = new EncoderPool();
 * const { stats, columns } = await pool.encode(chunk, "2026-10", null);
 * ```
 */
export class EncoderPool implements Disposable {
  readonly level: number;
  readonly #workers: Worker[] = [];
  readonly #waiting = new Map<number, Waiting>();
  #next = 0;
  #id = 0;
  #failed: Error | null = null;

  constructor(options: EncoderPoolOptions = {}) {
    this.level = options.level ?? 1;
    const n = options.workers ?? Math.max(1, Math.min(4, navigator.hardwareConcurrency ?? 2));
    for (let k = 0; k < n; k++) {
      const worker = new Worker(new URL("./parquet_worker.ts", import.meta.url), {
        type: "module",
      });
      worker.onmessage = (
        e: MessageEvent<
          {
            id: number;
            stats?: ChunkStats;
            columns?: CompressedColumn[];
            error?: string;
            range?: boolean;
          }
        >,
      ) => {
        const { id, stats, columns, error, range } = e.data;
        const waiting = this.#waiting.get(id);
        this.#waiting.delete(id);
        if (!waiting) return;
        if (stats && columns) waiting.resolve({ stats, columns });
        else waiting.reject(range ? new RangeError(error) : new Error(`Parquet encoder: ${error}`));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        this.#fail(new Error(`Parquet encoder worker failed: ${e.message}`));
      };
      this.#workers.push(worker);
    }
  }

  /** The number of worker threads (0: encoding runs inline). */
  get workers(): number {
    return this.#workers.length;
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const w of this.#waiting.values()) w.reject(error);
    this.#waiting.clear();
  }

  /**
   * Checks a chunk of `month` (after the row with `previousId` and
   * `previousTs`, or none) and encodes it as a row group: its statistics and
   * compressed column chunks, or the check's RangeError.
   */
  encode(
    chunk: EventChunk,
    month: string,
    previousId: Uint8Array | null,
    previousTs = -Infinity,
  ): Promise<EncodedChunk> {
    if (this.#failed) return Promise.reject(this.#failed);
    const columns = [
      chunk.idBytes,
      chunk.idEnds,
      chunk.tsMs,
      chunk.tenantIndex,
      chunk.eventTypeIndex,
      chunk.computeMicros,
    ];
    if (columns.some((c) => !(c.buffer instanceof ArrayBuffer))) {
      // a shared buffer could change between the check and the encoding
      return Promise.reject(
        new RangeError(
          `event chunk of ${month}: a column is on a SharedArrayBuffer; copy it first`,
        ),
      );
    }
    if (this.#workers.length === 0) {
      try {
        return Promise.resolve(encodeRowGroup(chunk, month, previousId, previousTs, this.level));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const id = ++this.#id;
    const worker = this.#workers[this.#next++ % this.#workers.length];
    const buffers = columns.map((a) => a.buffer).filter((b, k, all) => all.indexOf(b) === k);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      const request: EncodeRequest = {
        id,
        chunk,
        month,
        previousId,
        previousTs,
        level: this.level,
      };
      worker.postMessage(request, buffers as ArrayBuffer[]);
    });
  }

  /** Stops the workers; row groups still encoding are rejected. */
  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers.length = 0;
    this.#fail(new Error("Parquet encoder pool closed"));
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
