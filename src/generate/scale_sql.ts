/**
 * The `scale` scenario as one DuckDB SELECT: `range(M)` rows, each drawn by a
 * counter-based 32-bit integer hash (Wellons' lowbias32, in BIGINT
 * arithmetic) keyed by the seed, so 10M events never exist as JS objects.
 * Pure string building: it imports no DuckDB.
 *
 * Row `i` (0-based): tenant `t` + zero-padded `(i mod N) + 1` (round-robin, so
 * per-tenant counts are exact), event type drawn with the scenario's weights,
 * compute units uniform on the 6-decimal grid of the type's range. The M rows
 * split over the months in proportion to their length as consecutive ranges
 * (exact per-month counts, see {@linkcode scaleMonths}); within its month, row
 * i falls in its own equal time slice, jittered inside it, so rows arrive in
 * (ts, id) order. Id `<prefix>-<seed>-<i zero-padded>`.
 *
 * @module
 */
import { EVENT_COLUMNS } from "../events/mod.ts";
import { MICRO } from "./random.ts";
import { addMonths, monthStartMs } from "./time.ts";

/** The largest event count the SQL generator accepts (its counters are 32-bit). */
export const MAX_SCALE_EVENTS = 4_294_967_295;

/** What {@linkcode scaleSelectSql} needs. */
export interface ScaleSqlOptions {
  seed: number;
  tenants: number;
  events: number;
  /** First month, `YYYY-MM`. */
  from: string;
  months: number;
  idPrefix: string;
  tenantPrefix: string;
  tenantDigits: number;
  eventTypes: ReadonlyArray<
    { type: string; weight: number; compute_units: readonly [number, number] | number[] }
  >;
}

/** Wellons' lowbias32 on a uint32, in JS (used to derive the SQL's keys from the seed). */
export function mix32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Two 32-bit stream keys from a seed (any safe non-negative integer). */
export function seedKeys(seed: number): [number, number] {
  const lo = seed % 4294967296;
  const hi = Math.floor(seed / 4294967296);
  const base = mix32(mix32(lo) ^ mix32(hi + 0x6a09e667));
  return [mix32(base + 0x9e3779b9), mix32(base + 0x3c6ef372)];
}

const M32 = "4294967295";

/** Rows come in blocks of 10,000 (ids: a block prefix and a 4-digit suffix); pieces of 50 blocks. */
const BLOCKS_PER_PIECE = 50;

/** SQL for lowbias32 applied to columns a and b, as nested projections over `inner`. */
function hashLayers(inner: string): string {
  // Multiplication mod 2^32 by an odd c >= 2^31 without BIGINT overflow:
  // x*c = 2*(x*(c>>1)) + x  (mod 2^32), and x*(c>>1) < 2^63.
  const mulHigh = (col: string, c: number) =>
    `((((${col} * ${c >>> 1}) & 2147483647) * 2) + ${col}) & ${M32}`;
  const steps = [
    (col: string) => `xor(${col}, ${col} >> 16)`,
    (col: string) => `(${col} * ${0x7feb352d}) & ${M32}`,
    (col: string) => `xor(${col}, ${col} >> 15)`,
    (col: string) => mulHigh(col, 0x846ca68b),
    (col: string) => `xor(${col}, ${col} >> 16)`,
  ];
  let sql = inner;
  for (const step of steps) {
    sql = `SELECT i, id, ${step("a")} AS a, ${step("b")} AS b FROM (${sql})`;
  }
  return sql;
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** One month's share of the scale events: rows `first .. first + count - 1`. */
export interface ScaleMonth {
  month: string;
  first: number;
  count: number;
  startMs: number;
  lengthMs: number;
}

/**
 * How the M events split over the months: proportional to each month's
 * length, as whole consecutive row ranges (row i of month m falls in the
 * i-th of its count equal slices), so rows arrive in time order and each
 * month's count is known exactly.
 */
export function scaleMonths(
  options: Pick<ScaleSqlOptions, "events" | "from" | "months">,
): ScaleMonth[] {
  const start = monthStartMs(options.from);
  const span = BigInt(monthStartMs(addMonths(options.from, options.months)) - start);
  const m = BigInt(options.events);
  const out: ScaleMonth[] = [];
  for (let k = 0; k < options.months; k++) {
    const month = addMonths(options.from, k);
    const s = monthStartMs(month);
    const e = monthStartMs(addMonths(month, 1));
    const first = Number((m * BigInt(s - start)) / span);
    const next = Number((m * BigInt(e - start)) / span);
    out.push({ month, first, count: next - first, startMs: s, lengthMs: e - s });
  }
  return out;
}

/** The SELECT of one month of the scale events, and its exact row count. */
export interface ScaleMonthSql {
  month: string;
  events: number;
  sql: string;
}

/**
 * One SELECT per month (months without rows left out), each yielding exactly
 * the {@linkcode EVENT_COLUMNS} of that month's rows: together the same rows
 * as {@linkcode scaleSelectSql}.
 *
 * @example
 * ```ts
 * import { scaleMonthSelects } from "./scale_sql.ts";
 * const parts = scaleMonthSelects({ seed: 1, tenants: 10, events: 1200, from: "2026-01",
 *   months: 12, idPrefix: "scale", tenantPrefix: "t", tenantDigits: 5,
 *   eventTypes: [{ type: "api_call", weight: 1, compute_units: [0.001, 0.01] }] });
 * parts.map((p) => p.events); // about 100 each, in proportion to the month's days
 * ```
 */
export function scaleMonthSelects(options: ScaleSqlOptions): ScaleMonthSql[] {
  const all = scaleSelects(options);
  return all.length === 1 ? all : all.slice(1);
}

/**
 * What the SQL here and the JS chunks (`scale_chunks.ts`) both draw with, so
 * that they cannot drift apart: the seed's two hash keys, the digits of ids
 * and tenant numbers, and per event type the hash threshold below which a
 * row takes it (the last type: Infinity) and its compute units in
 * millionths, `low + hash % span`.
 */
export interface ScaleDraws {
  k1: number;
  k2: number;
  idWidth: number;
  tenantWidth: number;
  types: Array<{ type: string; threshold: number; low: number; span: number }>;
}

/**
 * The {@linkcode ScaleDraws} of a scale generation.
 *
 * @example
 * ```ts
 * import { scaleDraws } from "./scale_sql.ts";
 * const d = scaleDraws({ seed: 1, tenants: 10, events: 100, from: "2026-01", months: 1,
 *   idPrefix: "scale", tenantPrefix: "t", tenantDigits: 5,
 *   eventTypes: [{ type: "api_call", weight: 1, compute_units: [0.001, 0.01] }] });
 * d.types[0]; // { type: "api_call", threshold: Infinity, low: 1000, span: 9001 }
 * ```
 */
export function scaleDraws(options: ScaleSqlOptions): ScaleDraws {
  const [k1, k2] = seedKeys(options.seed);
  const total = options.eventTypes.reduce((s, t) => s + t.weight, 0);
  let cumulative = 0;
  const types = options.eventTypes.map((t, n) => {
    cumulative += t.weight;
    const low = Math.round(t.compute_units[0] * MICRO);
    return {
      type: t.type,
      threshold: n === options.eventTypes.length - 1
        ? Infinity
        : Math.floor((cumulative / total) * 4294967296),
      low,
      span: Math.round(t.compute_units[1] * MICRO) - low + 1,
    };
  });
  return {
    k1,
    k2,
    idWidth: Math.max(6, String(Math.max(0, options.events - 1)).length),
    tenantWidth: Math.max(options.tenantDigits, String(options.tenants).length),
    types,
  };
}

/** The whole-range SELECT first (month "*"), then one per month with rows. */
function scaleSelects(options: ScaleSqlOptions): ScaleMonthSql[] {
  const { seed, tenants, events } = options;
  const { k1, k2, idWidth, tenantWidth, types } = scaleDraws(options);
  const typeCases: string[] = [];
  const unitCases: string[] = [];
  for (const t of types) {
    const units = `${t.low} + b % ${t.span}`;
    const when = t.threshold === Infinity ? "ELSE" : `WHEN a < ${t.threshold} THEN`;
    typeCases.push(`${when} ${sqlString(t.type)}`);
    unitCases.push(`${when} ${units}`);
  }

  // one event type: its ELSE alone (a CASE needs a WHEN)
  const cases = (arms: string[]) =>
    arms.length === 1 ? `(${arms[0].slice("ELSE ".length)})` : `(CASE ${arms.join(" ")} END)`;

  // Ids are built from small string tables (a cross product of block
  // prefixes and 4-digit suffixes), tenant ids from a list: far cheaper than
  // formatting 10M integers. Each month is a UNION ALL of pieces of at most
  // BLOCKS_PER_PIECE blocks: DuckDB runs union children in parallel, while
  // one range() source runs on one thread.
  const prefix = sqlString(`${options.idPrefix}-${seed}-`);
  const piece = (k0: number, k1: number, j0: number, j1: number) =>
    `SELECT k * 10000 + j AS i, h || l AS id FROM ` +
    `(SELECT k, ${prefix} || lpad(k::VARCHAR, ${idWidth - 4}, '0') AS h ` +
    `FROM range(${k0}, ${k1}) r(k)), ` +
    `(SELECT j, lpad(j::VARCHAR, 4, '0') AS l FROM range(${j0}, ${j1}) r(j))`;
  const pieces = (first: number, end: number): string[] => {
    const out: string[] = [];
    let i = first;
    while (i < end) {
      const k = Math.floor(i / 10000);
      const j = i % 10000;
      if (j !== 0 || end - i < 10000) {
        const j1 = Math.min(10000, end - k * 10000);
        out.push(piece(k, k + 1, j, j1));
        i = k * 10000 + j1;
      } else {
        const kEnd = Math.min(Math.floor(end / 10000), k + BLOCKS_PER_PIECE);
        out.push(piece(k, kEnd, 0, 10000));
        i = kEnd * 10000;
      }
    }
    if (out.length === 0) out.push(piece(0, 0, 0, 0));
    return out;
  };
  const tenantList = `(SELECT list(${sqlString(options.tenantPrefix)} || ` +
    `lpad(x::VARCHAR, ${tenantWidth}, '0') ORDER BY x) AS tenant_list ` +
    `FROM range(1, ${tenants + 1}) r(x))`;
  const nulls = EVENT_COLUMNS.slice(5).map(([name, type]) => `NULL::${type} AS ${name}`);

  // Row i's month: the last month whose first row is <= i (a CASE over the
  // month boundaries); its timestamp: the month's start plus the i-th of the
  // month's equal slices, jittered within the slice by 12 bits of a.
  const all = scaleMonths(options);
  const used = all.filter((m) => m.count > 0);
  const list = (xs: number[]) => `[${xs.join(", ")}]`;
  const monthIndex = used.length <= 1
    ? "1"
    : `CASE ${
      used.slice(1).map((m, n) => `WHEN i < ${m.first} THEN ${n + 1}`).join(" ")
    } ELSE ${used.length} END`;
  const select = (first: number, end: number) => {
    const rows = `SELECT i, id, xor(i, ${k1}) AS a, xor(i, ${k2}) AS b FROM (${
      pieces(first, end).join(" UNION ALL ")
    })`;
    const withMonth = `SELECT i, id, a, b, ${monthIndex} AS m FROM (${hashLayers(rows)})`;
    const starts = list(used.map((m) => m.startMs));
    const firsts = list(used.map((m) => m.first));
    const lasts = list(used.map((m) => m.lengthMs - 1));
    // DOUBLE literals: a bare 26.37436159180813 is a DECIMAL to DuckDB, and its conversion
    // back to DOUBLE can round twice (1 ms off for some event counts)
    const steps = `[${used.map((m) => `'${m.lengthMs / m.count}'::DOUBLE`).join(", ")}]`;
    return [
      "SELECT",
      "  id AS id,",
      `  epoch_ms(${starts}[m] + least(${lasts}[m], ` +
      `CAST(floor((i - ${firsts}[m] + (a & 4095) / 4096.0) * ${steps}[m]) AS BIGINT))) AS ts,`,
      `  tenant_list[(i % ${tenants}) + 1] AS tenant_id,`,
      `  ${cases(typeCases)} AS event_type,`,
      `  (${cases(unitCases)}::DOUBLE / ${MICRO})::DECIMAL(18,6) AS compute_units,`,
      `  ${nulls.join(",\n  ")}`,
      `FROM (${withMonth}), ${tenantList}`,
    ].join("\n");
  };
  if (used.length === 0) return [{ month: all[0].month, events: 0, sql: select(0, 0) }];
  return [
    { month: "*", events, sql: select(0, events) },
    ...used.map((m) => ({
      month: m.month,
      events: m.count,
      sql: select(m.first, m.first + m.count),
    })),
  ];
}

/**
 * The SELECT that produces all the `scale` events (the UNION ALL of
 * {@linkcode scaleMonthSelects}), with exactly the {@linkcode EVENT_COLUMNS}
 * in order (optional columns NULL).
 *
 * @example
 * ```ts
 * import { scaleSelectSql } from "./scale_sql.ts";
 * const sql = scaleSelectSql({ seed: 42, tenants: 100, events: 10_000_000, from: "2026-01",
 *   months: 12, idPrefix: "scale", tenantPrefix: "t", tenantDigits: 5,
 *   eventTypes: [{ type: "api_call", weight: 1, compute_units: [0.001, 0.01] }] });
 * // pass to wh.appendQuery(sql), or COPY (sql) TO 'x.parquet'
 * ```
 */
export function scaleSelectSql(options: ScaleSqlOptions): string {
  return scaleSelects(options)[0].sql;
}
