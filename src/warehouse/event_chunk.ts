/**
 * Columnar batches of usage events (the required columns only: id, ts,
 * tenant_id, event_type, compute_units), as a generator produces them
 * without making one JS object per event, and the check that proves a
 * sequence of them fit for the store as they are: every row valid, inside
 * its month, in the store's (ts, id) order, with ids strictly ascending (so
 * distinct).
 *
 * @module
 */
import { EVENT_TYPE_PATTERN, TENANT_ID_PATTERN, UNAUTHENTICATED } from "../events/event.ts";
import { monthEndMs, monthStartMs } from "../events/month.ts";

/**
 * Up to a Parquet row group of events, column by column. The optional event
 * columns are null for every row.
 */
export interface EventChunk {
  /** The number of rows. */
  readonly rows: number;
  /** The ids' UTF-8 bytes, back to back. */
  readonly idBytes: Uint8Array;
  /** Where row r's id ends in `idBytes` (it starts where row r - 1's ends). */
  readonly idEnds: Uint32Array;
  /** Each row's timestamp, whole milliseconds since the Unix epoch. */
  readonly tsMs: Float64Array;
  /** The tenant ids that `tenantIndex` points into. */
  readonly tenants: readonly string[];
  readonly tenantIndex: Uint32Array;
  /** The event types that `eventTypeIndex` points into. */
  readonly eventTypes: readonly string[];
  readonly eventTypeIndex: Uint32Array;
  /** Compute units in millionths (the DECIMAL(18,6) unscaled value), whole and >= 0. */
  readonly computeMicros: Float64Array;
}

/** What {@linkcode checkEventChunk} found: the column statistics of the chunk. */
export interface ChunkStats {
  readonly rows: number;
  readonly firstId: Uint8Array;
  readonly lastId: Uint8Array;
  readonly tsMin: number;
  readonly tsMax: number;
  readonly computeMin: number;
  readonly computeMax: number;
  readonly tenantMin: string;
  readonly tenantMax: string;
  readonly eventTypeMin: string;
  readonly eventTypeMax: string;
}

/** Byte-wise comparison of a[a0, a1) with b[b0, b1): negative, zero or positive. */
export function compareBytes(
  a: Uint8Array,
  a0: number,
  a1: number,
  b: Uint8Array,
  b0: number,
  b1: number,
): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let k = 0; k < n; k++) {
    const d = a[a0 + k] - b[b0 + k];
    if (d !== 0) return d;
  }
  return (a1 - a0) - (b1 - b0);
}

const decoder = new TextDecoder();
const BLANK = /^\p{Zs}*$/u;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Whether every byte is below 0x80 (four at a time where aligned). */
function isAscii(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let k = 0;
  let acc = 0;
  while (k < n && (bytes.byteOffset + k) % 4 !== 0) acc |= bytes[k++];
  const words = Math.floor((n - k) / 4);
  if (words > 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + k, words);
    let wacc = 0;
    for (let j = 0; j < words; j++) wacc |= w[j];
    acc |= wacc & 0x80808080 ? 0x80 : 0;
    k += words * 4;
  }
  while (k < n) acc |= bytes[k++];
  return (acc & 0x80) === 0;
}

function minMax(values: readonly string[], used: Uint8Array, what: string, where: string) {
  let min: string | null = null;
  let max: string | null = null;
  for (let k = 0; k < values.length; k++) {
    if (!used[k]) continue;
    const v = values[k];
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  if (min === null || max === null) throw new RangeError(`${where}: no ${what} used`);
  return [min, max] as const;
}

/**
 * Checks one chunk of `month`'s events, given the last id of the chunk
 * before it (or null): every timestamp a whole millisecond inside the month
 * and not before the previous row's, every id non-empty and greater than the
 * previous row's (byte order) and valid UTF-8, every tenant id and event type well formed
 * (no `unauthenticated` rows: they have no tenant), compute units whole
 * millionths >= 0 (at most 2^53 - 1 of them, exact in a double). Throws a RangeError naming the first
 * row that fails. When `sharedPrefix` is given (one slot per row), it is
 * filled with the bytes each id shares with the id before it in the chunk (0
 * for the first), as DELTA_BYTE_ARRAY encodes ids.
 *
 * @example
 * ```ts
 * import { checkEventChunk } from "./event_chunk.ts";
 * const enc = new TextEncoder();
 * const stats = checkEventChunk({
 *   rows: 2, idBytes: enc.encode("a1a2"), idEnds: Uint32Array.of(2, 4),
 *   tsMs: Float64Array.of(Date.UTC(2026, 9, 1), Date.UTC(2026, 9, 2)),
 *   tenants: ["dept_a"], tenantIndex: Uint32Array.of(0, 0),
 *   eventTypes: ["api_call"], eventTypeIndex: Uint32Array.of(0, 0),
 *   computeMicros: Float64Array.of(1000, 2000),
 * }, "2026-10", null);
 * stats.computeMax; // 2000
 * ```
 */
export function checkEventChunk(
  chunk: EventChunk,
  month: string,
  previousId: Uint8Array | null,
  previousTs = -Infinity,
  sharedPrefix?: Uint32Array,
): ChunkStats {
  const { rows, idBytes, idEnds, tsMs, tenantIndex, eventTypeIndex, computeMicros } = chunk;
  const where = (r: number) => `event chunk of ${month}, row ${r}`;
  if (rows < 1) throw new RangeError(`event chunk of ${month}: no rows`);
  if (
    idEnds.length !== rows || tsMs.length !== rows || tenantIndex.length !== rows ||
    eventTypeIndex.length !== rows || computeMicros.length !== rows
  ) {
    throw new RangeError(`event chunk of ${month}: every column must have ${rows} rows`);
  }
  if (idEnds[rows - 1] !== idBytes.length) {
    throw new RangeError(`event chunk of ${month}: the last id must end at idBytes.length`);
  }
  // valid UTF-8 as a whole and, below, every id starting on a character (so each is valid alone)
  const ascii = isAscii(idBytes);
  if (!ascii) {
    try {
      strictUtf8.decode(idBytes);
    } catch {
      throw new RangeError(`event chunk of ${month}: the ids are not valid UTF-8`);
    }
  }
  for (const t of chunk.tenants) {
    if (!TENANT_ID_PATTERN.test(t)) {
      throw new RangeError(`event chunk of ${month}: tenant id ${JSON.stringify(t)} is malformed`);
    }
  }
  for (const t of chunk.eventTypes) {
    if (!EVENT_TYPE_PATTERN.test(t) || t === UNAUTHENTICATED) {
      throw new RangeError(
        `event chunk of ${month}: event type ${JSON.stringify(t)} is not allowed`,
      );
    }
  }
  const from = monthStartMs(month);
  const to = monthEndMs(month);
  const tenantUsed = new Uint8Array(chunk.tenants.length);
  const typeUsed = new Uint8Array(chunk.eventTypes.length);
  let computeMin = Infinity;
  let computeMax = -Infinity;
  let lastTs = previousTs;
  const view = new DataView(idBytes.buffer, idBytes.byteOffset, idBytes.byteLength);
  let prevStart = 0;
  let start = 0;
  for (let r = 0; r < rows; r++) {
    const end = idEnds[r];
    if (end <= start || end > idBytes.length) {
      throw new RangeError(`${where(r)}: empty or misplaced id (ends at ${end})`);
    }
    if (!ascii && (idBytes[start] & 0xc0) === 0x80) {
      throw new RangeError(`${where(r)}: the id starts inside a UTF-8 character`);
    }
    if (idBytes[start] === 0x20 || idBytes[start] >= 0x80) {
      // only space separators (U+0020, U+00A0, U+3000...) is a missing id: DuckDB's trim()
      // strips them, and the SQL import refuses trim(id) = ''
      if (BLANK.test(decoder.decode(idBytes.subarray(start, end)))) {
        throw new RangeError(`${where(r)}: the id is blank`);
      }
    }
    let after: number;
    if (r > 0) {
      // the bytes shared with the id before, then the first that differs
      const n = Math.min(start - prevStart, end - start);
      let k = 0;
      while (k + 4 <= n && view.getUint32(prevStart + k) === view.getUint32(start + k)) k += 4;
      while (k < n && idBytes[prevStart + k] === idBytes[start + k]) k++;
      after = k < n
        ? idBytes[prevStart + k] - idBytes[start + k]
        : (start - prevStart) - (end - start);
      if (sharedPrefix) sharedPrefix[r] = k;
    } else {
      after = previousId === null
        ? -1
        : compareBytes(previousId, 0, previousId.length, idBytes, start, end);
      if (sharedPrefix) sharedPrefix[0] = 0;
    }
    if (after >= 0) {
      throw new RangeError(
        `${where(r)}: id ${
          JSON.stringify(decoder.decode(idBytes.subarray(start, end)))
        } is not greater than the id before it (byte order)`,
      );
    }
    const ts = tsMs[r];
    if (!(ts >= from && ts < to) || ts !== Math.floor(ts)) {
      throw new RangeError(`${where(r)}: ts ${ts} is not a whole millisecond inside ${month}`);
    }
    if (ts < lastTs) {
      throw new RangeError(`${where(r)}: ts ${ts} is before the row before's ${lastTs}`);
    }
    lastTs = ts;
    const t = tenantIndex[r];
    if (t >= tenantUsed.length) throw new RangeError(`${where(r)}: tenant index ${t} out of range`);
    tenantUsed[t] = 1;
    const e = eventTypeIndex[r];
    if (e >= typeUsed.length) {
      throw new RangeError(`${where(r)}: event type index ${e} out of range`);
    }
    typeUsed[e] = 1;
    const u = computeMicros[r];
    if (!(u >= 0) || u !== Math.floor(u)) {
      throw new RangeError(
        `${where(r)}: compute units ${u / 1e6} are not >= 0 with at most 6 decimals`,
      );
    }
    if (u > Number.MAX_SAFE_INTEGER) {
      // a double holds millionths exactly only up to 2^53 (DECIMAL(18,6) holds more)
      throw new RangeError(
        `${where(r)}: compute units ${
          u / 1e6
        } are more than a chunk carries exactly (9007199254.740991); store such rows with appendQuery`,
      );
    }
    if (u < computeMin) computeMin = u;
    if (u > computeMax) computeMax = u;
    prevStart = start;
    start = end;
  }
  const [tenantMin, tenantMax] = minMax(chunk.tenants, tenantUsed, "tenant", month);
  const [eventTypeMin, eventTypeMax] = minMax(chunk.eventTypes, typeUsed, "event type", month);
  return {
    rows,
    firstId: idBytes.slice(0, idEnds[0]),
    lastId: idBytes.slice(rows > 1 ? idEnds[rows - 2] : 0, idEnds[rows - 1]),
    tsMin: tsMs[0],
    tsMax: tsMs[rows - 1],
    computeMin,
    computeMax,
    tenantMin,
    tenantMax,
    eventTypeMin,
    eventTypeMax,
  };
}
