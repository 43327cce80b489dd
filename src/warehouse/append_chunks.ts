/**
 * The columnar write path: months of {@linkcode EventChunk}s encoded to the
 * store's Parquet files by meterbook's own writer, without DuckDB, when that
 * is provably the same as the validating path. Every row is checked as it is
 * encoded ({@linkcode checkEventChunk}: valid, inside its month, in (ts, id)
 * order, ids strictly ascending, so distinct within the month); the months'
 * id ranges must not overlap one another or the store's, so every id is new.
 * Nothing is in place until every month file is written. When a month is
 * already in the store or a range overlaps, {@linkcode appendChunks} returns
 * null having changed nothing, and the caller takes the SQL path (which
 * merges and dedupes).
 *
 * @module
 */
import { join } from "node:path";
import { isMonth } from "../events/month.ts";
import { compareBytes, type EventChunk } from "./event_chunk.ts";
import type { SqlEngine } from "./engine.ts";
import type { ImportStats, IngestOptions } from "./ingest.ts";
import { appendIngestLog, ingestEntry } from "./meta.ts";
import { storeIdRange } from "./store_range.ts";
import { writeEventsParquet, type WrittenEvents } from "./parquet_writer.ts";
import { EncoderPool } from "./encode_pool.ts";
import { MONTH_FILE, monthDir, monthFiles, type PendingFile, writePending } from "./store.ts";

/** One month of events as chunks (see {@linkcode EventChunk}). */
export interface MonthChunks {
  /** `YYYY-MM`: every row's ts must fall in it. */
  readonly month: string;
  /** The row count the chunks add up to. */
  readonly rows: number;
  /** The chunks, in (ts, id) order with ids ascending; iterated once. */
  chunks(): Iterable<EventChunk>;
}

const encoder = new TextEncoder();
const byMonth = (a: MonthChunks, b: MonthChunks) => (a.month < b.month ? -1 : 1);

/**
 * Writes months of chunks into the store as new month files, or returns
 * null (having changed nothing) when that would not be the same as the
 * validating path: a month already has events, or the id ranges overlap.
 * A chunk that fails its check, or a month whose chunks do not add up to
 * its `rows`, is an error (nothing is written either).
 *
 * @example
 * ```ts ignore
 * const stats = await appendChunks(engine, months, { store, source: "chunks", key });
 * if (stats === null) {
 *   // take the SQL path
 * }
 * ```
 */
export async function appendChunks(
  engine: SqlEngine,
  months: readonly MonthChunks[],
  options: IngestOptions,
): Promise<ImportStats | null> {
  for (const m of months) {
    if (!isMonth(m.month)) {
      throw new RangeError(`appendChunks: month ${JSON.stringify(m.month)} is not YYYY-MM`);
    }
    if (!Number.isSafeInteger(m.rows) || m.rows < 0) {
      throw new RangeError(
        `appendChunks: month ${m.month} has a row count of ${m.rows}; give a whole number >= 0`,
      );
    }
  }
  const names = months.map((m) => m.month);
  if (new Set(names).size !== names.length) {
    throw new RangeError(`appendChunks: a month is given twice (${names.join(", ")})`);
  }
  for (const m of months) {
    if (m.rows === 0) {
      // nothing to store, but a month that says 0 and brings rows must not lose them quietly
      for (const chunk of m.chunks()) {
        if (chunk.rows > 0) {
          throw new RangeError(
            `appendChunks: month ${m.month} says 0 rows but its chunks have some`,
          );
        }
      }
    } else if ((await monthFiles(options.store, m.month)).length > 0) {
      return null;
    }
  }
  const ranges: Array<readonly [Uint8Array, Uint8Array]> = [];
  const stored = await storeIdRange(engine, options.store);
  if (stored) ranges.push([encoder.encode(stored[0]), encoder.encode(stored[1])]);

  const entry = ingestEntry(options);
  const pending: PendingFile[] = [];
  using pool = new EncoderPool();
  try {
    // Two months at a time, so the pool never drains between months: while one
    // month's last row groups encode, the next month's first chunks are made.
    const queue = [...months].filter((m) => m.rows > 0).sort(byMonth);
    let failed = false;
    const lane = async () => {
      while (queue.length > 0 && !failed) {
        const m = queue.shift()!;
        let written: WrittenEvents = { rows: 0, firstId: null, lastId: null };
        const target = join(monthDir(options.store, m.month), MONTH_FILE);
        try {
          pending.push(
            await writePending(target, async (tmp) => {
              written = await writeEventsParquet(tmp, m.month, m.chunks(), { pool });
            }),
          );
        } catch (error) {
          failed = true;
          throw error;
        }
        if (written.rows !== m.rows || !written.firstId || !written.lastId) {
          failed = true;
          throw new RangeError(
            `appendChunks: month ${m.month} has ${written.rows} rows in its chunks, not ${m.rows}`,
          );
        }
        ranges.push([written.firstId, written.lastId]);
      }
    };
    const lanes = await Promise.allSettled([lane(), lane()]);
    const refused = lanes.find((l): l is PromiseRejectedResult => l.status === "rejected");
    if (refused) throw refused.reason;
    for (const m of [...months].sort(byMonth)) {
      if (m.rows === 0) continue;
      entry.months[m.month] = { stored: m.rows, duplicates: 0, quarantined: 0 };
      entry.read += m.rows;
      entry.stored += m.rows;
    }
    const cmp = (a: Uint8Array, b: Uint8Array) => compareBytes(a, 0, a.length, b, 0, b.length);
    ranges.sort((a, b) => cmp(a[0], b[0]));
    for (let k = 1; k < ranges.length; k++) {
      if (cmp(ranges[k][0], ranges[k - 1][1]) <= 0) {
        for (const file of pending) await file.abort();
        return null;
      }
    }
  } catch (error) {
    for (const file of pending) await file.abort();
    throw error;
  }
  for (const file of pending) await file.commit();
  await appendIngestLog(options.store, entry);
  return { read: entry.read, stored: entry.stored, duplicates: 0, quarantined: 0 };
}
