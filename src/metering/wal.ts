/**
 * The metering write-ahead log: an append-only NDJSON log under
 * `<store>/wal/`, one line per usage event, fsynced per batch. Each writer
 * appends to its own segment file, holding an exclusive lock on it while the
 * segment is open, so that compaction ({@linkcode compactWal}) can tell live
 * segments from finished ones (also those of a crashed writer: the lock dies
 * with the process).
 *
 * @module
 */
import { join } from "node:path";
import type { UsageEvent } from "../events/mod.ts";
import type { BatchStore } from "./queue.ts";
import { createUuidV7 } from "./uuidv7.ts";

/** The WAL folder of an event store. */
export function walDir(store: string): string {
  return join(store, "wal");
}

/** Whether a file name is a WAL segment. */
export function isSegmentName(name: string): boolean {
  return /^[0-9a-f-]{36}\.ndjson$/.test(name);
}

/**
 * Whether a file name is a WAL segment being created (`<segment>.tmp`): a
 * writer creates it, locks it and renames it into place before writing to
 * it, so one left behind by a writer that was killed in between is empty.
 */
export function isPendingSegmentName(name: string): boolean {
  return /^[0-9a-f-]{36}\.ndjson\.tmp$/.test(name);
}

/** Options of {@linkcode WalStore}. */
export interface WalOptions {
  /** Start a new segment once the current one reaches this size (default 64 MiB). */
  segmentBytes?: number;
  /** Start a new segment once the current one is this old, in ms (default 60 s). */
  segmentMaxAgeMs?: number;
  /** fsync each batch (default true; false only for benchmarks of the fsync cost). */
  fsync?: boolean;
  /** Wall clock in ms, for segment names (default `Date.now`). */
  now?: () => number;
  /**
   * Creates a new segment file for appending (default: `Deno.open` with
   * `createNew` and `append`); tests inject writers that fail.
   */
  createFile?: (path: string) => Promise<Deno.FsFile>;
}

function createSegmentFile(path: string): Promise<Deno.FsFile> {
  return Deno.open(path, { createNew: true, write: true, append: true });
}

const encoder = new TextEncoder();

/** fsyncs a directory so that a file created or removed in it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    using handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // some file systems refuse fsync on directories; the data itself is synced
  }
}

/**
 * A {@linkcode BatchStore} appending NDJSON batches to `<store>/wal/`.
 * Segment names are UUIDv7s, so they sort by creation time.
 *
 * @example
 * ```ts
 * import { WalStore } from "./wal.ts";
 * const dir = await Deno.makeTempDir();
 * const wal = new WalStore(dir);
 * await wal.writeBatch([{ id: "e1", ts: "2026-10-01T00:00:00.000Z", tenant_id: "dept_a", event_type: "api_call", compute_units: 0.001 }]);
 * await wal.close();
 * ```
 */
export class WalStore implements BatchStore {
  readonly name: string;
  readonly dir: string;
  readonly #segmentBytes: number;
  readonly #segmentMaxAgeMs: number;
  readonly #fsync: boolean;
  readonly #now: () => number;
  readonly #nextName: () => string;
  readonly #createFile: (path: string) => Promise<Deno.FsFile>;
  #file: Deno.FsFile | null = null;
  /** A segment whose fsync failed: the next append starts a new one. */
  #retired: Deno.FsFile | null = null;
  #path = "";
  #size = 0;
  #opened = 0;
  #dirReady = false;
  #appending: Promise<unknown> = Promise.resolve();
  #syncs = new Set<Promise<void>>();

  constructor(store: string, options: WalOptions = {}) {
    this.dir = walDir(store);
    this.name = `wal ${this.dir}`;
    this.#segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.#segmentMaxAgeMs = options.segmentMaxAgeMs ?? 60_000;
    this.#fsync = options.fsync ?? true;
    this.#now = options.now ?? Date.now;
    this.#nextName = createUuidV7({ now: this.#now });
    this.#createFile = options.createFile ?? createSegmentFile;
  }

  /** The segment being written, if any. */
  get currentSegment(): string | null {
    return this.#file ? this.#path : null;
  }

  async #open(): Promise<Deno.FsFile> {
    if (!this.#dirReady) {
      await Deno.mkdir(this.dir, { recursive: true });
      this.#dirReady = true;
    }
    // Created under a name compaction does not read, locked, then renamed into place (the lock
    // follows the file): compaction never sees a segment before its writer holds the lock, so it
    // can never take a brand-new segment for a finished one and delete it under the writer.
    // (Compaction removes a `.tmp` only once it is 10 minutes old and unlocked: what a writer
    // killed between these steps leaves; it never opens a younger one.)
    const path = join(this.dir, `${this.#nextName()}.ndjson`);
    const pending = `${path}.tmp`;
    const file = await this.#createFile(pending);
    try {
      // a file system without locks (some NFS mounts) throws here
      if (!(await file.tryLock(true))) throw new Error(`cannot lock new WAL segment ${pending}`);
      await Deno.rename(pending, path);
    } catch (error) {
      // the batch is retried into a new segment; this empty one is dropped (a rename that took
      // effect and still failed leaves it empty at `path`, where compaction deletes it)
      file.close();
      await Deno.remove(pending).catch(() => {});
      throw error;
    }
    await fsyncDir(this.dir);
    this.#file = file;
    this.#path = path;
    this.#size = 0;
    this.#opened = this.#now();
    return file;
  }

  /** Closes the current segment (it becomes compactable and deletable). */
  async rotate(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    this.#file = null;
    if (this.#retired === file) this.#retired = null;
    const syncs = [...this.#syncs];
    this.#syncs.clear();
    try {
      await Promise.allSettled(syncs); // fsyncs of other batches still running on this file
      if (this.#fsync) await file.sync();
    } finally {
      file.close(); // releases the lock
    }
  }

  /**
   * Appends the events as NDJSON lines and fsyncs. Safe to call concurrently:
   * the appends happen one at a time, in call order; the fsyncs may overlap
   * (each batch resolves after an fsync that started after its own append).
   */
  async writeBatch(events: UsageEvent[]): Promise<void> {
    if (events.length === 0) return;
    let text = "";
    for (const event of events) text += JSON.stringify(event) + "\n";
    const bytes = encoder.encode(text);
    const append = this.#appending.then(() => this.#append(bytes));
    this.#appending = append.catch(() => {});
    const file = await append;
    if (!this.#fsync) return;
    const sync = file.sync();
    this.#syncs.add(sync);
    try {
      await sync;
    } catch (error) {
      // after a failed fsync the kernel may have dropped the batch's pages: write nothing more
      // to this segment (the retry goes to a new one)
      this.#retired = file;
      throw error;
    } finally {
      this.#syncs.delete(sync);
    }
  }

  /** One append, with the log to itself; returns the file written. */
  async #append(bytes: Uint8Array): Promise<Deno.FsFile> {
    if (
      this.#file &&
      (this.#size >= this.#segmentBytes || this.#now() - this.#opened >= this.#segmentMaxAgeMs ||
        this.#file === this.#retired)
    ) {
      await this.rotate();
    }
    const file = this.#file ?? (await this.#open());
    const before = this.#size;
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      this.#size += bytes.length;
      return file;
    } catch (error) {
      // A failed append ends this segment: never write at `before` again. A compaction may have
      // read the batch's first lines in the meantime and checkpointed an offset inside it; bytes
      // written there later would put that offset in the middle of other events and skip them.
      // Cut the torn tail off (best effort: compaction ignores a torn last line anyway), then
      // close the segment, so the retry goes to a new one.
      await file.truncate(before).catch(() => {});
      await this.rotate().catch(() => {});
      throw error;
    }
  }

  /** Closes the current segment (after the appends in progress). */
  async close(): Promise<void> {
    await this.#appending;
    await this.rotate();
  }
}

/** The events of NDJSON text, and the lines that are not valid JSON objects. */
export function parseWalText(text: string): { events: UsageEvent[]; badLines: number } {
  const events: UsageEvent[] = [];
  let badLines = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === "") continue;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === "object" && !Array.isArray(value)) events.push(value);
      else badLines++;
    } catch {
      badLines++;
    }
  }
  return { events, badLines };
}

/**
 * Every event in `<store>/wal/` (all segments, oldest first; a torn last line
 * is skipped), without changing anything: for tests and inspection.
 *
 * @example
 * ```ts
 * import { readWalEvents } from "./wal.ts";
 * const events = await readWalEvents("data/events");
 * ```
 */
export async function readWalEvents(store: string): Promise<UsageEvent[]> {
  const dir = walDir(store);
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && isSegmentName(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const events: UsageEvent[] = [];
  for (const name of names.sort()) {
    for (const event of parseWalText(await Deno.readTextFile(join(dir, name))).events) {
      events.push(event);
    }
  }
  return events;
}
