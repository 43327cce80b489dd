/**
 * A Parquet writer for checked {@linkcode EventChunk}s, one row group per
 * chunk, with the schema, types and codec DuckDB gives the store's files
 * (see `parquet_pages.ts`) and min/max statistics. The optional event
 * columns are written as all-null. It exists for speed: DuckDB takes about
 * 2.5 times as long to encode the same rows (bench/generate.ts), and row
 * groups here are encoded on worker threads while the caller produces the
 * next chunks.
 *
 * @module
 */
import type { EventChunk } from "./event_chunk.ts";
import { EncoderPool } from "./encode_pool.ts";
import {
  CODEC_ZSTD,
  COLUMNS,
  type CompressedColumn,
  ENC,
  type EncodedChunk,
  PAGE,
} from "./parquet_pages.ts";
import { thriftCompact, type ThriftStruct } from "./thrift_compact.ts";

const MAGIC = new TextEncoder().encode("PAR1");

function pageHeader(
  kind: number,
  uncompressed: number,
  compressed: number,
  values: number,
  encoding: number,
): Uint8Array {
  if (Math.max(uncompressed, compressed, values) > 0x7fffffff) {
    throw new RangeError(
      `parquet writer: a page of ${uncompressed} bytes and ${values} values is past Parquet's 2 GiB page limit; use smaller chunks`,
    );
  }
  const fields: ThriftStruct = [[1, { i32: kind }], [2, { i32: uncompressed }], [3, {
    i32: compressed,
  }]];
  return thriftCompact(
    kind === PAGE.DATA
      ? [...fields, [5, {
        struct: [[1, { i32: values }], [2, { i32: encoding }], [3, { i32: ENC.RLE }], [4, {
          i32: ENC.RLE,
        }]],
      }]]
      : [...fields, [7, { struct: [[1, { i32: values }], [2, { i32: encoding }]] }]],
  );
}

/** A row group laid out: its bytes in order, and its column metadata relative to its own start. */
interface EncodedRowGroup {
  rows: number;
  bytes: Uint8Array[];
  size: number;
  uncompressed: number;
  columns: Array<{
    type: number;
    name: string;
    encodings: number[];
    dictionaryOffset?: number;
    dataOffset: number;
    size: number;
    uncompressed: number;
    values: number;
    stats: CompressedColumn["stats"];
  }>;
}

function layOut(rows: number, compressed: CompressedColumn[]): EncodedRowGroup {
  const group: EncodedRowGroup = { rows, bytes: [], size: 0, uncompressed: 0, columns: [] };
  COLUMNS.forEach((c, k) => {
    const col = compressed[k];
    const start = group.size;
    let uncompressed = 0;
    const push = (kind: number, page: CompressedColumn["data"]) => {
      const header = pageHeader(kind, page.raw, page.bytes.length, page.values, page.encoding);
      group.bytes.push(header, page.bytes);
      group.size += header.length + page.bytes.length;
      uncompressed += header.length + page.raw;
    };
    let dictionaryOffset: number | undefined;
    if (col.dictionary) {
      dictionaryOffset = group.size;
      push(PAGE.DICTIONARY, col.dictionary);
    }
    const dataOffset = group.size;
    push(PAGE.DATA, col.data);
    group.uncompressed += uncompressed;
    group.columns.push({
      type: c.type,
      name: c.name,
      encodings: col.dictionary ? [ENC.PLAIN_DICTIONARY, ENC.RLE] : [col.data.encoding, ENC.RLE],
      dictionaryOffset,
      dataOffset,
      size: group.size - start,
      uncompressed,
      values: rows,
      stats: col.stats,
    });
  });
  return group;
}

function footer(
  groups: Array<{ group: EncodedRowGroup; offset: number }>,
  rows: number,
): Uint8Array {
  const schema: ThriftStruct[] = [
    [[3, { i32: 0 }], [4, { binary: "duckdb_schema" }], [5, { i32: COLUMNS.length }]],
    ...COLUMNS.map((c) => c.element),
  ];
  const rowGroups: ThriftStruct[] = groups.map(({ group, offset }) => [
    [1, {
      list: "struct",
      values: group.columns.map((c): ThriftStruct => {
        const first = offset + (c.dictionaryOffset ?? c.dataOffset);
        return [
          [2, { i64: first }],
          [3, {
            struct: [
              [1, { i32: c.type }],
              [2, { list: "i32", values: c.encodings }],
              [3, { list: "binary", values: [c.name] }],
              [4, { i32: CODEC_ZSTD }],
              [5, { i64: c.values }],
              [6, { i64: c.uncompressed }],
              [7, { i64: c.size }],
              [9, { i64: offset + c.dataOffset }],
              [11, c.dictionaryOffset === undefined ? undefined : { i64: first }],
              [12, {
                struct: [
                  [3, { i64: c.stats.nulls }],
                  [5, c.stats.max && { binary: c.stats.max }],
                  [6, c.stats.min && { binary: c.stats.min }],
                ],
              }],
            ],
          }],
        ];
      }),
    }],
    [2, { i64: group.uncompressed }],
    [3, { i64: group.rows }],
    [5, { i64: offset }],
    [6, { i64: group.size }],
  ]);
  return thriftCompact([
    [1, { i32: 1 }],
    [2, { list: "struct", values: schema }],
    [3, { i64: rows }],
    [4, { list: "struct", values: rowGroups }],
    [6, { binary: "meterbook event writer" }],
    // TypeDefinedOrder for every column, so readers use the string statistics
    [7, { list: "struct", values: COLUMNS.map((): ThriftStruct => [[1, { struct: [] }]]) }],
  ]);
}

/** What {@linkcode writeEventsParquet} wrote. */
export interface WrittenEvents {
  rows: number;
  /** The first and last id (the smallest and largest: ids ascend), or null for no rows. */
  firstId: Uint8Array | null;
  lastId: Uint8Array | null;
}

/**
 * Writes chunks of `month`'s events to a new Parquet file at `path`, one
 * row group per chunk. Each chunk is checked ({@linkcode checkEventChunk},
 * against the last row of the chunk before it) and encoded on
 * `options.pool` (a pool of its own by default) while the next ones are
 * produced; their buffers move to the pool's workers. A chunk that fails
 * its check rejects with its RangeError, and the file is left incomplete:
 * write to a temporary path.
 *
 * @example
 * ```ts ignore
 * const { rows } = await writeEventsParquet("events.parquet", "2026-10", [chunk]);
 * ```
 */
export async function writeEventsParquet(
  path: string,
  month: string,
  chunks: Iterable<EventChunk>,
  options: { pool?: EncoderPool } = {},
): Promise<WrittenEvents> {
  const pool = options.pool ?? new EncoderPool();
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const writeAll = (bytes: Uint8Array) => {
      let at = 0;
      while (at < bytes.length) at += file.writeSync(bytes.subarray(at));
    };
    writeAll(MAGIC);
    let offset = MAGIC.length;
    const written: WrittenEvents = { rows: 0, firstId: null, lastId: null };
    const placed: Array<{ group: EncodedRowGroup; offset: number }> = [];
    // row groups in flight, oldest first: enough to keep every worker busy
    const inFlight: Array<Promise<EncodedChunk>> = [];
    const depth = Math.max(2, pool.workers * 2);
    const writeOldest = async () => {
      const { stats, columns } = await inFlight.shift()!;
      const group = layOut(stats.rows, columns);
      placed.push({ group, offset });
      for (const b of group.bytes) writeAll(b);
      offset += group.size;
      written.rows += group.rows;
      written.firstId ??= stats.firstId;
      written.lastId = stats.lastId;
      group.bytes = [];
    };
    try {
      let previousId: Uint8Array | null = null;
      let previousTs = -Infinity;
      for (const chunk of chunks) {
        // the chunk's last row, read before its buffers move: the next chunk is checked against it
        const n = chunk.rows;
        const lastId = n > 0 && chunk.idEnds.length >= n
          ? chunk.idBytes.slice(n > 1 ? chunk.idEnds[n - 2] : 0, chunk.idEnds[n - 1])
          : null;
        const lastTs = n > 0 ? chunk.tsMs[n - 1] : previousTs;
        const encoded = pool.encode(chunk, month, previousId, previousTs);
        // a later chunk may fail while an earlier one still encodes: its rejection is awaited in turn
        encoded.catch(() => {});
        inFlight.push(encoded);
        previousId = lastId;
        previousTs = lastTs;
        if (inFlight.length >= depth) await writeOldest();
      }
      while (inFlight.length > 0) await writeOldest();
    } finally {
      // a failed chunk leaves encodings in flight: settle them before the pool may close
      await Promise.allSettled(inFlight);
    }
    const meta = footer(placed, written.rows);
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, meta.length, true);
    tail.set(MAGIC, 4);
    writeAll(meta);
    writeAll(tail);
    return written;
  } finally {
    file.close();
    if (!options.pool) pool.close();
  }
}
