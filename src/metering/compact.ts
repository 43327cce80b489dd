/**
 * WAL compaction: moves the metering write-ahead log (`<store>/wal/`) into
 * the warehouse's month partitions, deduplicated by event id.
 *
 * Safe to run at any time, also while servers write, and any number of times:
 * - finished segments (no writer holds their lock: closed, rotated, or left by
 *   a crashed process) are appended to the warehouse and deleted only after
 *   the warehouse has stored them;
 * - live segments are appended up to their last complete line and remembered
 *   by byte offset in `wal/.checkpoint.json`, so the next run reads on from
 *   there;
 * - a crash between the warehouse's write and the deletion (or checkpoint)
 *   only means the events are read again and skipped as duplicates by id;
 * - an empty `<segment>.tmp` that a writer killed while creating it left
 *   behind (never locked, never written) is removed once it is older than
 *   {@linkcode ABANDONED_SEGMENT_AGE_MS}.
 *
 * @module
 */
import { join } from "node:path";
import { errorMessage } from "../errors.ts";
import type { UsageEvent } from "../events/mod.ts";
import type { Engine } from "../cli/command.ts";
import { openWarehouse, type Warehouse } from "../warehouse/mod.ts";
import { fsyncDir, isPendingSegmentName, isSegmentName, parseWalText, walDir } from "./wal.ts";

/** The part of the warehouse compaction needs (`Warehouse` satisfies it). */
export interface WalWarehouse {
  append(
    events: UsageEvent[],
  ): Promise<{ stored: number; duplicates: number; quarantined: number }>;
}

/** What one compaction did. */
export interface CompactStats {
  /** Segments looked at. */
  segments: number;
  /** Of those, segments still being written (read up to their last complete line, kept). */
  live: number;
  /** Segments deleted after their events were stored. */
  deleted: number;
  /** Events read from the log. */
  read: number;
  /** Events newly stored in the warehouse. */
  stored: number;
  /** Events already in the warehouse (skipped). */
  duplicates: number;
  /** Events the warehouse rejected (in its quarantine). */
  quarantined: number;
  /** Lines that were not JSON (a torn tail left by a crash mid-write). */
  bad_lines: number;
  /**
   * Empty `<segment>.tmp` files removed: segments a writer killed while
   * creating them never used.
   */
  abandoned: number;
}

/** Options of {@linkcode compactWal}. */
export interface CompactOptions {
  /** The most events per `append` call (default 500,000). */
  maxEventsPerAppend?: number;
  /** Log lines (default: none). */
  log?: (message: string) => void;
  /**
   * The wall clock in ms, for the age of abandoned `<segment>.tmp` files
   * (default `Date.now`).
   */
  now?: () => number;
}

/**
 * How old an unlocked, empty `<segment>.tmp` must be before compaction
 * removes it. A writer holds one for microseconds (create, lock, rename);
 * the margin covers a clock that differs from the file system's.
 */
export const ABANDONED_SEGMENT_AGE_MS = 10 * 60 * 1000;

const CHECKPOINT = ".checkpoint.json";
const LOCK = ".compact.lock";
const decoder = new TextDecoder();

async function readCheckpoint(dir: string): Promise<Record<string, number>> {
  try {
    const value = JSON.parse(await Deno.readTextFile(join(dir, CHECKPOINT)));
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

async function writeCheckpoint(dir: string, offsets: Record<string, number>): Promise<void> {
  const tmp = join(dir, `${CHECKPOINT}.tmp`);
  await Deno.writeTextFile(tmp, JSON.stringify(offsets, null, 1) + "\n");
  using file = await Deno.open(tmp, { read: true, write: true });
  await file.sync();
  await Deno.rename(tmp, join(dir, CHECKPOINT));
}

/** Reads bytes `from` .. `to` of an open file. */
async function readFrom(file: Deno.FsFile, from: number, to: number): Promise<Uint8Array> {
  const out = new Uint8Array(to - from);
  await file.seek(from, Deno.SeekMode.Start);
  let at = 0;
  while (at < out.length) {
    const n = await file.read(out.subarray(at));
    if (n === null) break;
    at += n;
  }
  return out.subarray(0, at);
}

interface Segment {
  name: string;
  handle: Deno.FsFile;
  sealed: boolean;
  events: UsageEvent[];
  /** Byte offset up to which the events were read. */
  end: number;
}

/**
 * Compacts `<store>/wal/` into the warehouse; see the module doc for the
 * guarantees. Returns what it did. Concurrent compactions of one store wait
 * for each other.
 *
 * @example
 * ```ts
 * import { compactWal } from "./compact.ts";
 * import { openWarehouse } from "../warehouse/mod.ts";
 * const wh = await openWarehouse({ store: "data/events" });
 * const stats = await compactWal("data/events", wh); // { stored, duplicates, deleted, ... }
 * await wh.close();
 * ```
 */
export async function compactWal(
  store: string,
  wh: WalWarehouse,
  options: CompactOptions = {},
): Promise<CompactStats> {
  const stats: CompactStats = {
    segments: 0,
    live: 0,
    deleted: 0,
    read: 0,
    stored: 0,
    duplicates: 0,
    quarantined: 0,
    bad_lines: 0,
    abandoned: 0,
  };
  const dir = walDir(store);
  const names: string[] = [];
  const pending: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      if (isSegmentName(entry.name)) names.push(entry.name);
      else if (isPendingSegmentName(entry.name)) pending.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return stats;
    throw error;
  }
  if (names.length === 0 && pending.length === 0) return stats;
  names.sort();
  const max = options.maxEventsPerAppend ?? 500_000;
  using lock = await Deno.open(join(dir, LOCK), { create: true, write: true });
  await lock.lock(true);
  try {
    const now = (options.now ?? Date.now)();
    for (const name of pending.sort()) {
      if (await removeAbandoned(dir, name, now, options.log)) stats.abandoned++;
    }
    const offsets = await readCheckpoint(dir);
    let group: Segment[] = [];
    let groupEvents = 0;
    const commit = async () => {
      if (group.length === 0) return;
      const events = group.length === 1 ? group[0].events : group.flatMap((s) => s.events);
      if (events.length > 0) {
        const result = await wh.append(events);
        stats.stored += result.stored;
        stats.duplicates += result.duplicates;
        stats.quarantined += result.quarantined;
      }
      for (const segment of group) {
        if (segment.sealed) {
          await Deno.remove(join(dir, segment.name));
          delete offsets[segment.name];
          stats.deleted++;
        } else {
          offsets[segment.name] = segment.end;
        }
        segment.handle.close();
      }
      await writeCheckpoint(dir, offsets);
      await fsyncDir(dir);
      group = [];
      groupEvents = 0;
    };
    try {
      for (const name of names) {
        const handle = await Deno.open(join(dir, name), { read: true });
        const sealed = await handle.tryLock(true);
        stats.segments++;
        if (!sealed) stats.live++;
        // read only what the last compaction has not (live segments keep growing)
        const size = (await handle.stat()).size;
        const from = Math.min(offsets[name] ?? 0, size);
        const bytes = await readFrom(handle, from, size);
        const complete = bytes.lastIndexOf(0x0a) + 1;
        const parsed = parseWalText(decoder.decode(bytes.subarray(0, complete)));
        let end = from + complete;
        if (sealed && bytes.length > complete) {
          // a crash mid-write: never acknowledged, and cannot be parsed
          stats.bad_lines++;
          options.log?.(
            `compact: ${name}: ignored ${bytes.length - complete} byte(s) of a torn last line`,
          );
          end = from + bytes.length;
        }
        stats.bad_lines += parsed.badLines;
        if (parsed.badLines > 0) {
          options.log?.(`compact: ${name}: ${parsed.badLines} line(s) are not JSON; skipped`);
        }
        stats.read += parsed.events.length;
        group.push({ name, handle, sealed, events: parsed.events, end });
        groupEvents += parsed.events.length;
        if (groupEvents >= max) await commit();
      }
      await commit();
    } finally {
      for (const segment of group) segment.handle.close();
    }
    // forget checkpoints of segments that no longer exist
    const live = new Set(names);
    let changed = false;
    for (const name of Object.keys(offsets)) {
      if (!live.has(name)) {
        delete offsets[name];
        changed = true;
      }
    }
    if (changed) await writeCheckpoint(dir, offsets);
  } finally {
    await lock.unlock();
  }
  return stats;
}

/**
 * Removes `wal/<name>` (a `<segment>.tmp`) when it is a segment a killed
 * writer never used: no writer holds its lock, it is empty, and it is older
 * than {@linkcode ABANDONED_SEGMENT_AGE_MS}. Anything else is left alone
 * (one being created now; one with bytes in it, which no writer makes, with a
 * log line). A young one is never opened, so its lock is never taken from a
 * writer about to lock it. Whether it was removed; failures are log lines,
 * never errors.
 */
async function removeAbandoned(
  dir: string,
  name: string,
  now: number,
  log: ((message: string) => void) | undefined,
): Promise<boolean> {
  const path = join(dir, name);
  // Looked at by name first, and opened only when old: a compaction that took the lock of a
  // segment being created would make its writer's own tryLock fail.
  try {
    const info = await Deno.stat(path);
    if (now - (info.mtime?.getTime() ?? now) < ABANDONED_SEGMENT_AGE_MS) return false;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false; // renamed into place meanwhile
    log?.(`compact: cannot check ${name} (${errorMessage(error)}); left in place`);
    return false;
  }
  let handle: Deno.FsFile;
  try {
    handle = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false; // renamed into place meanwhile
    log?.(`compact: cannot open ${name} to check it (${errorMessage(error)}); left in place`);
    return false;
  }
  try {
    if (!(await handle.tryLock(true))) return false; // its writer is creating it now
    const info = await handle.stat();
    if (info.size > 0) {
      log?.(
        `compact: ${name} holds ${info.size} byte(s), but a segment being created is empty; ` +
          "left in place: rename it to drop the .tmp if its events belong in the store",
      );
      return false;
    }
    const age = now - (info.mtime?.getTime() ?? now);
    if (age < ABANDONED_SEGMENT_AGE_MS) return false;
    await Deno.remove(path);
    log?.(`compact: removed ${name}, an empty segment a stopped server created and never used`);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    log?.(`compact: cannot remove ${name} (${errorMessage(error)}); left in place`);
    return false;
  } finally {
    handle.close();
  }
}

/**
 * Opens a store's warehouse for reading with every acknowledged event in it:
 * the metering WAL is compacted into the month partitions first. Every
 * command that reads usage (invoice, compare, report, push, export) opens the
 * store this way, so none of them can miss events the API already answered.
 *
 * @example
 * ```ts
 * import { openCompactedWarehouse } from "./compact.ts";
 * const wh = await openCompactedWarehouse({ store: "data/events" });
 * const rows = await wh.usage("2026-10");
 * await wh.close();
 * ```
 */
export async function openCompactedWarehouse(options: {
  store: string;
  engine?: Engine;
  /**
   * Receives a line when WAL events were stored, compaction's own lines (a
   * torn last line skipped, an abandoned segment removed), and one for each
   * temporary file of a stopped write that storing them removed (default:
   * none).
   */
  log?: (line: string) => void;
}): Promise<Warehouse> {
  const wh = await openWarehouse({
    store: options.store,
    engine: options.engine,
    log: options.log,
  });
  try {
    const stats = await compactWal(options.store, wh, { log: options.log });
    if (stats.stored > 0) {
      options.log?.(`compacted the metering WAL: ${stats.stored} event(s) stored`);
    }
  } catch (error) {
    await wh.close();
    throw error;
  }
  return wh;
}
