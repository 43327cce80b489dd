/**
 * The `scale` scenario's rows in JS, as columnar chunks for the warehouse's
 * `appendChunks`: exactly the rows of {@linkcode scaleMonthSelects} (the
 * same hash, keys, month split, timestamps, tenants, types and units),
 * computed without one object per event. The SQL stays the reference: a
 * test compares the two row for row.
 *
 * @module
 */
import type { EventChunk, MonthChunks } from "../warehouse/mod.ts";
import { mix32, scaleDraws, scaleMonths, type ScaleSqlOptions } from "./scale_sql.ts";

/** Rows per chunk: DuckDB's default Parquet row group. */
export const SCALE_CHUNK_ROWS = 122_880;

const encoder = new TextEncoder();

/**
 * One {@linkcode MonthChunks} per month with rows, in month order; each
 * month's chunks are computed only when iterated.
 *
 * @example
 * ```ts
 * import { scaleMonthChunks } from "./scale_chunks.ts";
 * const months = scaleMonthChunks({ seed: 1, tenants: 10, events: 1200, from: "2026-01",
 *   months: 12, idPrefix: "scale", tenantPrefix: "t", tenantDigits: 5,
 *   eventTypes: [{ type: "api_call", weight: 1, compute_units: [0.001, 0.01] }] });
 * months.map((m) => m.rows); // the same counts as scaleMonthSelects
 * ```
 */
export function scaleMonthChunks(
  options: ScaleSqlOptions,
  chunkRows: number = SCALE_CHUNK_ROWS,
): MonthChunks[] {
  const { seed, tenants } = options;
  const { k1, k2, idWidth, tenantWidth, types: draws } = scaleDraws(options);
  const tenantIds = Array.from(
    { length: tenants },
    (_, x) => options.tenantPrefix + String(x + 1).padStart(tenantWidth, "0"),
  );
  const types = draws.map((t) => t.type);
  const thresholds = draws.map((t) => t.threshold);
  const lows = draws.map((t) => t.low);
  const spans = draws.map((t) => t.span);
  const prefix = encoder.encode(`${options.idPrefix}-${seed}-`);
  const idLength = prefix.length + idWidth;

  const chunk = (
    first: number,
    rows: number,
    startMs: number,
    lengthMs: number,
    monthFirst: number,
    step: number,
  ): EventChunk => {
    // the chunk's dictionary: only the tenants its rows name, in round-robin order from the first
    // (a million tenants would otherwise put a million entries in every row group)
    const used = Math.min(rows, tenants);
    const from = first % tenants;
    const chunkTenants = from + used <= tenants
      ? tenantIds.slice(from, from + used)
      : [...tenantIds.slice(from), ...tenantIds.slice(0, from + used - tenants)];
    const idBytes = new Uint8Array(rows * idLength);
    const idEnds = new Uint32Array(rows);
    const tsMs = new Float64Array(rows);
    const tenantIndex = new Uint32Array(rows);
    const eventTypeIndex = new Uint32Array(rows);
    const computeMicros = new Float64Array(rows);
    // the zero-padded decimal digits of the row number, counted up in place
    const digits = encoder.encode(String(first).padStart(idWidth, "0"));
    const last = lengthMs - 1;
    for (let r = 0; r < rows; r++) {
      const i = first + r;
      let at = r * idLength;
      for (let k = 0; k < prefix.length; k++) idBytes[at++] = prefix[k];
      for (let k = 0; k < idWidth; k++) idBytes[at++] = digits[k];
      idEnds[r] = at;
      for (let d = idWidth - 1; d >= 0; d--) {
        if (digits[d] === 57) {
          digits[d] = 48;
        } else {
          digits[d]++;
          break;
        }
      }
      const a = mix32(i ^ k1);
      const b = mix32(i ^ k2);
      const slice = Math.floor((i - monthFirst + (a & 4095) / 4096) * step);
      tsMs[r] = startMs + (slice < last ? slice : last);
      tenantIndex[r] = r % used;
      let t = 0;
      while (a >= thresholds[t]) t++;
      eventTypeIndex[r] = t;
      computeMicros[r] = lows[t] + (b % spans[t]);
    }
    return {
      rows,
      idBytes,
      idEnds,
      tsMs,
      tenants: chunkTenants,
      tenantIndex,
      eventTypes: types,
      eventTypeIndex,
      computeMicros,
    };
  };

  return scaleMonths(options).filter((m) => m.count > 0).map((m) => ({
    month: m.month,
    rows: m.count,
    *chunks(): Iterable<EventChunk> {
      const step = m.lengthMs / m.count;
      for (let done = 0; done < m.count; done += chunkRows) {
        yield chunk(
          m.first + done,
          Math.min(chunkRows, m.count - done),
          m.startMs,
          m.lengthMs,
          m.first,
          step,
        );
      }
    },
  }));
}
