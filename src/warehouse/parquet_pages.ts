/**
 * The pages of one Parquet row group of a checked {@linkcode EventChunk}:
 * the store's schema (every column OPTIONAL, as DuckDB writes it), PLAIN
 * values, dictionary-encoded tenant ids and event types, all-null optional
 * columns, each page compressed with zstd; ids as DELTA_BYTE_ARRAY. Each
 * chunk is checked as it is encoded. Pure and synchronous: it runs on the
 * encoder pool's worker threads (see `encode_pool.ts`).
 *
 * @module
 */
import { EVENT_COLUMNS } from "../events/mod.ts";
import { checkEventChunk, type ChunkStats, type EventChunk } from "./event_chunk.ts";
import { type ThriftStruct, varintBytes, zigzag } from "./thrift_compact.ts";
import { zstdCompressSync } from "./zstd.ts";

/** Parquet's enums (parquet.thrift). */
export const T = { INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export const ENC = {
  PLAIN: 0,
  PLAIN_DICTIONARY: 2,
  RLE: 3,
  DELTA_BINARY_PACKED: 5,
  DELTA_LENGTH_BYTE_ARRAY: 6,
  DELTA_BYTE_ARRAY: 7,
} as const;
const CONVERTED = { UTF8: 0, DECIMAL: 5, TIMESTAMP_MICROS: 10, INT_32: 17 } as const;
export const PAGE = { DATA: 0, DICTIONARY: 2 } as const;
export const CODEC_ZSTD = 6;
const OPTIONAL = 1;

const encoder = new TextEncoder();

// Scratch arrays, reused from chunk to chunk on this thread (the encoding is synchronous): a
// row group's temporaries would otherwise be megabytes of garbage each time.
let f64Scratch = new Float64Array(0);
let u32Scratch = new Uint32Array(0);
let u32Scratch2 = new Uint32Array(0);
let u8Scratch = new Uint8Array(0);
const grow = (n: number) => Math.max(1024, Math.ceil(n * 1.25));

/** The Parquet physical type and schema element of each stored column. */
function schemaElement(name: string, sqlType: string): { type: number; element: ThriftStruct } {
  const base = (
    type: number,
    rest: ThriftStruct = [],
  ): { type: number; element: ThriftStruct } => ({
    type,
    element: [[1, { i32: type }], [3, { i32: OPTIONAL }], [4, { binary: name }], ...rest],
  });
  switch (sqlType) {
    case "VARCHAR":
      return base(T.BYTE_ARRAY, [[6, { i32: CONVERTED.UTF8 }]]);
    case "TIMESTAMP":
      return base(T.INT64, [
        [6, { i32: CONVERTED.TIMESTAMP_MICROS }],
        // LogicalType.TIMESTAMP { isAdjustedToUTC: false, unit: MICROS }
        [10, {
          struct: [[8, { struct: [[1, { bool: false }], [2, { struct: [[2, { struct: [] }]] }]] }]],
        }],
      ]);
    case "DECIMAL(18,6)":
      return base(T.INT64, [
        [6, { i32: CONVERTED.DECIMAL }],
        [7, { i32: 6 }],
        [8, { i32: 18 }],
        [10, { struct: [[5, { struct: [[1, { i32: 6 }], [2, { i32: 18 }]] }]] }],
      ]);
    case "INTEGER":
      return base(T.INT32, [[6, { i32: CONVERTED.INT_32 }]]);
    case "DOUBLE":
      return base(T.DOUBLE);
    default:
      throw new Error(`parquet writer: no mapping for column ${name} ${sqlType}`);
  }
}

/** The stored columns, in order, with their Parquet type and schema element. */
export const COLUMNS = EVENT_COLUMNS.map(([name, type]) => ({
  name,
  ...schemaElement(name, type),
}));

/** A column chunk's pages, uncompressed. */
interface ColumnPages {
  dictionary?: { values: number; body: Uint8Array };
  data: { values: number; encoding: number; body: Uint8Array };
  stats: { nulls: number; min?: Uint8Array; max?: Uint8Array };
}

/** Definition levels of `rows` rows that are all present (1) or all null (0), length-prefixed RLE. */
function definitionLevels(rows: number, present: boolean): Uint8Array {
  const run = [...varintBytes(rows * 2), present ? 1 : 0];
  const out = new Uint8Array(4 + run.length);
  new DataView(out.buffer).setUint32(0, run.length, true);
  out.set(run, 4);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes `value * scale` (whole numbers) as a little-endian INT64, exactly even past 2^53. */
function setInt64(view: DataView, at: number, value: number, scale: number): void {
  const v = value * scale;
  if (v > Number.MAX_SAFE_INTEGER || v < -Number.MAX_SAFE_INTEGER) {
    // microseconds past 2^53 from the epoch (after 2255-06, before 1684-07): a double would round
    view.setBigInt64(at, BigInt(value) * BigInt(scale), true);
    return;
  }
  const hi = Math.floor(v / 4294967296);
  view.setUint32(at, v - hi * 4294967296, true);
  view.setInt32(at + 4, hi, true);
}

/** `value * scale` (whole numbers) as 8 little-endian bytes (two's complement). */
export function int64Bytes(value: number, scale = 1): Uint8Array {
  const out = new Uint8Array(8);
  setInt64(new DataView(out.buffer), 0, value, scale);
  return out;
}

/** PLAIN INT64 values (safe integers: `values[r] * scale`) after the definition levels. */
function int64Page(rows: number, values: Float64Array, scale: number): Uint8Array {
  const levels = definitionLevels(rows, true);
  const out = new Uint8Array(levels.length + rows * 8);
  out.set(levels);
  const view = new DataView(out.buffer, levels.length);
  for (let r = 0; r < rows; r++) setInt64(view, r * 8, values[r], scale);
  return out;
}

/**
 * The ts column's page: DELTA_BINARY_PACKED microseconds (in order, they
 * differ little: about half the bytes of PLAIN after zstd, and faster), or
 * PLAIN when microseconds pass 2^53 from the epoch (after 2255-06 or before
 * 1684-07), where the products and deltas would not be exact in a double.
 */
function timestampPage(
  rows: number,
  tsMs: Float64Array,
  stats: ChunkStats,
): { values: number; encoding: number; body: Uint8Array } {
  const limit = Number.MAX_SAFE_INTEGER / 1000;
  if (Math.max(Math.abs(stats.tsMin), Math.abs(stats.tsMax)) > limit) {
    return { values: rows, encoding: ENC.PLAIN, body: int64Page(rows, tsMs, 1000) };
  }
  const levels = definitionLevels(rows, true);
  const packed = deltaBinaryPacked(tsMs, 1000);
  const body = new Uint8Array(levels.length + packed.length);
  body.set(levels);
  body.set(packed, levels.length);
  return { values: rows, encoding: ENC.DELTA_BINARY_PACKED, body };
}

/** Bits needed for a non-negative safe integer. */
function bitWidth(x: number): number {
  let w = 0;
  while (x >= 2 ** w) w++;
  return w;
}

/**
 * DELTA_BINARY_PACKED of `values[k] * scale` (safe integers whose
 * neighbours differ by less than 2^45; blocks of 128 values, 4 miniblocks
 * of 32).
 */
export function deltaBinaryPacked(values: ArrayLike<number>, scale = 1): Uint8Array {
  const n = values.length;
  if (u8Scratch.length < 64 + n) u8Scratch = new Uint8Array(grow(64 + n));
  let out = u8Scratch;
  let len = 0;
  const room = (k: number) => {
    if (len + k <= out.length) return;
    const next = new Uint8Array(Math.max(out.length * 2, len + k));
    next.set(out.subarray(0, len));
    out = u8Scratch = next;
  };
  const varint = (v: number | bigint) => {
    room(10);
    for (const b of varintBytes(v)) out[len++] = b; // once a block of 128 values
  };
  varint(128);
  varint(4);
  varint(n);
  varint(zigzag(n > 0 ? values[0] * scale : 0));
  // the deltas once; each block stores them less its smallest
  if (f64Scratch.length < n) f64Scratch = new Float64Array(grow(n));
  const deltas = f64Scratch.subarray(0, Math.max(0, n - 1));
  for (let k = 1; k < n; k++) deltas[k - 1] = values[k] * scale - values[k - 1] * scale;
  for (let b = 0; b < deltas.length; b += 128) {
    const end = Math.min(deltas.length, b + 128);
    let min = deltas[b];
    for (let k = b + 1; k < end; k++) if (deltas[k] < min) min = deltas[k];
    varint(zigzag(min));
    room(4 + 4 * 32 * 6); // four widths, four miniblocks of up to 48 bits a value
    const widthsAt = len;
    len += 4;
    for (let m = 0; m < 4; m++) {
      const from = b + m * 32;
      const to = Math.min(from + 32, end);
      let max = 0;
      for (let k = from; k < to; k++) if (deltas[k] - min > max) max = deltas[k] - min;
      const w = from < end ? bitWidth(max) : 0;
      out[widthsAt + m] = w;
      if (w === 0) continue; // an empty or all-equal miniblock takes no bytes
      let acc = 0;
      let bits = 0;
      if (w <= 24) {
        for (let k = from; k < from + 32; k++) {
          acc = (acc | ((k < to ? deltas[k] - min : 0) << bits)) >>> 0; // the last one is padded
          bits += w;
          while (bits >= 8) {
            out[len++] = acc & 255;
            acc >>>= 8;
            bits -= 8;
          }
        }
      } else {
        for (let k = from; k < from + 32; k++) {
          acc += (k < to ? deltas[k] - min : 0) * 2 ** bits; // past 32 bits, << would wrap
          bits += w;
          while (bits >= 8) {
            out[len++] = acc % 256;
            acc = Math.floor(acc / 256);
            bits -= 8;
          }
        }
      }
    }
  }
  return out.slice(0, len);
}

/**
 * The ids as DELTA_BYTE_ARRAY: the bytes each shares with the id before it
 * (delta-packed), the lengths of the rest (delta-packed), then the rest of
 * each id. Sorted ids share long prefixes, so little is left to compress.
 */
function idPage(chunk: EventChunk, sharedPrefix: Uint32Array): Uint8Array {
  const { rows, idBytes, idEnds } = chunk;
  const levels = definitionLevels(rows, true);
  if (u32Scratch2.length < rows) u32Scratch2 = new Uint32Array(grow(rows));
  const suffixLengths = u32Scratch2.subarray(0, rows);
  let suffixBytes = 0;
  let start = 0;
  for (let r = 0; r < rows; r++) {
    suffixLengths[r] = idEnds[r] - start - sharedPrefix[r];
    suffixBytes += suffixLengths[r];
    start = idEnds[r];
  }
  const prefixes = deltaBinaryPacked(sharedPrefix);
  const lengths = deltaBinaryPacked(suffixLengths);
  const out = new Uint8Array(levels.length + prefixes.length + lengths.length + suffixBytes);
  out.set(levels);
  out.set(prefixes, levels.length);
  out.set(lengths, levels.length + prefixes.length);
  let at = levels.length + prefixes.length + lengths.length;
  start = 0;
  for (let r = 0; r < rows; r++) {
    const end = idEnds[r];
    for (let k = start + sharedPrefix[r]; k < end; k++) out[at++] = idBytes[k];
    start = end;
  }
  return out;
}

function plainStrings(values: readonly string[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const v of values) {
    const b = encoder.encode(v);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length, true);
    parts.push(len, b);
  }
  return concat(parts);
}

/** Dictionary indices: a bit-width byte, then one bit-packed run (groups of 8, LSB first). */
function dictionaryPage(rows: number, index: Uint32Array, dictSize: number): Uint8Array {
  let width = 1;
  while ((1 << width) < dictSize) width++;
  if (width > 24) {
    throw new RangeError(`parquet writer: a dictionary of ${dictSize} values is too large`);
  }
  const levels = definitionLevels(rows, true);
  const groups = Math.ceil(rows / 8);
  const header = varintBytes(groups * 2 + 1);
  const out = new Uint8Array(levels.length + 1 + header.length + groups * width);
  out.set(levels);
  let at = levels.length;
  out[at++] = width;
  out.set(header, at);
  at += header.length;
  let acc = 0; // bits waiting, below 8 + width of them
  let bits = 0;
  for (let r = 0; r < groups * 8; r++) {
    acc |= (r < rows ? index[r] : 0) << bits;
    bits += width;
    while (bits >= 8) {
      out[at++] = acc & 255;
      acc >>>= 8;
      bits -= 8;
    }
  }
  return out;
}

function columnPages(
  name: string,
  chunk: EventChunk,
  stats: ChunkStats,
  sharedPrefix: Uint32Array,
): ColumnPages {
  const rows = chunk.rows;
  switch (name) {
    case "id":
      return {
        data: { values: rows, encoding: ENC.DELTA_BYTE_ARRAY, body: idPage(chunk, sharedPrefix) },
        stats: { nulls: 0, min: stats.firstId, max: stats.lastId },
      };
    case "ts":
      return {
        data: timestampPage(rows, chunk.tsMs, stats),
        stats: {
          nulls: 0,
          min: int64Bytes(stats.tsMin, 1000),
          max: int64Bytes(stats.tsMax, 1000),
        },
      };
    case "compute_units":
      return {
        data: { values: rows, encoding: ENC.PLAIN, body: int64Page(rows, chunk.computeMicros, 1) },
        stats: { nulls: 0, min: int64Bytes(stats.computeMin), max: int64Bytes(stats.computeMax) },
      };
    case "tenant_id":
    case "event_type": {
      const tenants = name === "tenant_id";
      const dict = tenants ? chunk.tenants : chunk.eventTypes;
      const index = tenants ? chunk.tenantIndex : chunk.eventTypeIndex;
      return {
        dictionary: { values: dict.length, body: plainStrings(dict) },
        data: {
          values: rows,
          encoding: ENC.PLAIN_DICTIONARY,
          body: dictionaryPage(rows, index, dict.length),
        },
        stats: {
          nulls: 0,
          min: encoder.encode(tenants ? stats.tenantMin : stats.eventTypeMin),
          max: encoder.encode(tenants ? stats.tenantMax : stats.eventTypeMax),
        },
      };
    }
    default:
      return {
        data: { values: rows, encoding: ENC.PLAIN, body: definitionLevels(rows, false) },
        stats: { nulls: rows },
      };
  }
}

/** One page, compressed: its value count and encoding, raw and compressed sizes. */
export interface CompressedPage {
  values: number;
  encoding: number;
  raw: number;
  bytes: Uint8Array;
}

/** One column chunk of a row group: its pages, compressed, and its statistics. */
export interface CompressedColumn {
  dictionary?: CompressedPage;
  data: CompressedPage;
  stats: ColumnPages["stats"];
}

/** A checked chunk, encoded: its statistics and its column chunks. */
export interface EncodedChunk {
  stats: ChunkStats;
  columns: CompressedColumn[];
}

/**
 * Checks a chunk of `month` ({@linkcode checkEventChunk}, after the row
 * with `previousId` and `previousTs`) and encodes it as one row group:
 * every column chunk, compressed with zstd at `level`. Throws the check's
 * RangeError.
 *
 * @example
 * ```ts ignore
 * const { stats, columns } = encodeRowGroup(chunk, "2026-10", null, -Infinity, 1);
 * ```
 */
export function encodeRowGroup(
  chunk: EventChunk,
  month: string,
  previousId: Uint8Array | null,
  previousTs: number,
  level: number,
): EncodedChunk {
  if (u32Scratch.length < chunk.rows) u32Scratch = new Uint32Array(grow(chunk.rows));
  const sharedPrefix = u32Scratch.subarray(0, chunk.rows);
  const stats = checkEventChunk(chunk, month, previousId, previousTs, sharedPrefix);
  const columns = COLUMNS.map((c): CompressedColumn => {
    const p = columnPages(c.name, chunk, stats, sharedPrefix);
    const page = (values: number, encoding: number, body: Uint8Array): CompressedPage => ({
      values,
      encoding,
      raw: body.length,
      bytes: zstdCompressSync(body, level),
    });
    return {
      dictionary: p.dictionary &&
        page(p.dictionary.values, ENC.PLAIN_DICTIONARY, p.dictionary.body),
      data: page(p.data.values, p.data.encoding, p.data.body),
      stats: p.stats,
    };
  });
  return { stats, columns };
}
