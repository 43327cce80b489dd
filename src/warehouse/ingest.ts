/**
 * Bulk validation, dedupe and storage of incoming events, all in SQL.
 *
 * Incoming rows land in a table (`wh_raw`: input order `n`, the original
 * line `src` for NDJSON, and every event field as text); one SELECT gives
 * each row its first problem (`reason`) or NULL; rejected rows go to
 * `<store>/quarantine/`, valid rows are deduped against themselves (first
 * row in input order wins) and against every id in the store, and each
 * touched month is rewritten as one Parquet file sorted by (ts, id).
 *
 * @module
 */
import { join } from "node:path";
import {
  EVENT_COLUMNS,
  EVENT_TYPE_SQL_PATTERN,
  tenantIdSql,
  UNAUTHENTICATED,
} from "../events/event.ts";
import type { SqlEngine } from "./engine.ts";
import { appendIngestLog, ingestEntry } from "./meta.ts";
import { EVENT_COLUMN_LIST, readEventsSql, sqlString } from "./sql.ts";
import {
  listMonths,
  MONTH_FILE,
  monthDir,
  monthFiles,
  nextMonth,
  type PendingFile,
  writeAtomic,
  writePending,
} from "./store.ts";

/** What one import or append did. */
export interface ImportStats {
  /** Rows read from the input. */
  read: number;
  /** Rows newly stored. */
  stored: number;
  /** Valid rows whose id was already stored or appeared earlier in the same input. */
  duplicates: number;
  /** Rows rejected to the quarantine file. */
  quarantined: number;
  /** The quarantine file written, when rows were quarantined (the first, for several inputs). */
  quarantineFile?: string;
  /** Every quarantine file written, when several inputs quarantined rows. */
  quarantineFiles?: string[];
  /** Stored rows whose compute units had more than 6 decimals (rounded to 6), when any. */
  rounded?: number;
}

/** The event field names, in stored order. */
export const FIELDS: readonly string[] = EVENT_COLUMNS.map(([name]) => name);

const OPTIONAL_NUMBERS: ReadonlyArray<[string, string]> = EVENT_COLUMNS.filter(([name]) =>
  ["status_code", "duration_ms", "n_particles", "n_steps", "compute_seconds"].includes(name)
).map(([name, type]) => [name, type]);

/**
 * The timestamp texts import accepts, matched after upper-casing (so `t` and
 * `z` work as RFC 3339 allows): ISO 8601 (`T` or a space), a time of day
 * 00:00 to 23:59:59 (`T24:00:00`, which DuckDB would read as the next
 * midnight, is refused), optional seconds and fraction, and `Z`, `+HH`,
 * `+HHMM` or `+HH:MM` with hours 00-14 and minutes 00-59; no offset means
 * UTC. Zone names (`... America/New_York`) are refused on purpose: the native
 * engine's ICU would parse them and the wasm engine would not.
 */
export const TS_SQL_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}" +
  "(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]+)?)?" +
  "(?:Z|[+-](?:0[0-9]|1[0-4])(?::?[0-5][0-9])?)?)?$";

/**
 * Parses a text timestamp (see {@linkcode TS_SQL_PATTERN}) to a UTC TIMESTAMP,
 * truncated to the millisecond (the precision events are exported and
 * compared at), or NULL. The text is upper-cased first: DuckDB reads `T` and
 * `Z` only in upper case. Relies on the session time zone being UTC (both
 * engines set it), so that the TIMESTAMPTZ -> TIMESTAMP cast yields UTC.
 */
function tsExpr(col: string): string {
  const text = `upper(trim(${col}))`;
  const parsed =
    `coalesce(try_cast(try_cast(${text} AS TIMESTAMPTZ) AS TIMESTAMP), try_cast(${text} AS TIMESTAMP))`;
  return `CASE WHEN regexp_full_match(${text}, ${
    sqlString(TS_SQL_PATTERN)
  }) THEN date_trunc('millisecond', ${parsed}) END`;
}

function cuExpr(col: string): string {
  return `coalesce(try_cast(${col} AS DECIMAL(18,6)), try_cast(try_cast(${col} AS DOUBLE) AS DECIMAL(18,6)))`;
}

/** The SELECT that types each raw row and names its first problem. */
function checkedSql(): string {
  const typeRe = sqlString(EVENT_TYPE_SQL_PATTERN);
  const missing = (f: string) => `WHEN ${f} IS NULL OR trim(${f}) = '' THEN 'missing field: ${f}'`;
  const optional = OPTIONAL_NUMBERS.flatMap(([name, type]) => {
    const given = `${name} IS NOT NULL AND trim(${name}) <> ''`;
    const num = `try_cast(${name} AS DOUBLE)`;
    const rules = [
      `WHEN ${given} AND (${num} IS NULL OR NOT isfinite(${num})) THEN 'bad ${name}: not a finite number: ' || ${name}`,
    ];
    if (type === "INTEGER") {
      // never rounded or nulled silently: a fraction or an out-of-range value is the row's problem
      rules.push(
        `WHEN ${given} AND (${num} <> floor(${num}) OR abs(${num}) > 2147483647) THEN 'bad ${name}: not a whole number in range: ' || ${name}`,
      );
    }
    return rules;
  });
  const reason = [
    "CASE",
    `WHEN src IS NOT NULL AND NOT is_object THEN 'not a JSON object'`,
    missing("id"),
    missing("ts"),
    missing("event_type"),
    missing("compute_units"),
    `WHEN ${tsExpr("ts")} IS NULL THEN 'unparsable timestamp: ' || ts`,
    `WHEN NOT regexp_full_match(event_type, ${typeRe}) THEN 'bad event_type format: ' || event_type`,
    `WHEN tenant_id IS NULL AND event_type <> '${UNAUTHENTICATED}' THEN 'missing field: tenant_id'`,
    `WHEN tenant_id IS NOT NULL AND NOT ${
      tenantIdSql("tenant_id")
    } THEN 'bad tenant_id format: ' || tenant_id`,
    `WHEN try_cast(compute_units AS DOUBLE) IS NULL THEN 'compute_units: not a number: ' || compute_units`,
    `WHEN NOT isfinite(try_cast(compute_units AS DOUBLE)) THEN 'non-finite compute_units: ' || compute_units`,
    `WHEN try_cast(compute_units AS DOUBLE) < 0 THEN 'negative compute_units: ' || compute_units`,
    `WHEN ${cuExpr("compute_units")} IS NULL THEN 'compute_units too large: ' || compute_units`,
    ...optional,
    "END",
  ].join("\n  ");
  const typed = EVENT_COLUMNS.map(([name, type]) => {
    if (name === "ts") return `${tsExpr("ts")} AS ts`;
    if (name === "compute_units") return `${cuExpr("compute_units")} AS compute_units`;
    if (type === "VARCHAR") return `${name}`;
    if (type === "INTEGER") return `try_cast(try_cast(${name} AS DOUBLE) AS INTEGER) AS ${name}`;
    return `try_cast(${name} AS ${type}) AS ${name}`;
  });
  return `SELECT n, ${reason} AS reason, ${typed.join(", ")} FROM wh_raw`;
}

/** Options of {@linkcode ingest}. */
export interface IngestOptions {
  store: string;
  /** What the log and the quarantine file are named after, e.g. the file's base name. */
  source: string;
  /** A content hash of the input: the quarantine file name and the log key. */
  key: string;
  /** The import time, for late-event counts (none: never late). */
  at?: Date;
}

/**
 * Validates the rows of `wh_raw` (n BIGINT, src VARCHAR, is_object BOOLEAN,
 * every event field as VARCHAR), quarantines the failures, dedupes and stores
 * the rest. Returns the counts.
 */
export async function ingestRaw(engine: SqlEngine, options: IngestOptions): Promise<ImportStats> {
  await engine.exec(`CREATE OR REPLACE TEMP TABLE wh_checked AS ${checkedSql()}`);
  const [{ read }] = await engine.query(`SELECT count(*)::INTEGER AS read FROM wh_checked`);
  const bad = await engine.query(
    `SELECT r.*, c.reason, strftime(c.ts, '%Y-%m') AS month FROM wh_checked c JOIN wh_raw r USING (n)
     WHERE c.reason IS NOT NULL ORDER BY n`,
  );
  let quarantineFile: string | undefined;
  const quarantinedByMonth: Record<string, number> = {};
  if (bad.length > 0) {
    quarantineFile = join(options.store, "quarantine", `${options.source}-${options.key}.ndjson`);
    const lines = bad.map((row) => {
      if (row.month) {
        const m = String(row.month);
        quarantinedByMonth[m] = (quarantinedByMonth[m] ?? 0) + 1;
      }
      return JSON.stringify(quarantineRecord(row));
    });
    await Deno.mkdir(join(options.store, "quarantine"), { recursive: true });
    await writeAtomic(quarantineFile, (tmp) => Deno.writeTextFile(tmp, lines.join("\n") + "\n"));
  }
  await engine.exec(
    `CREATE OR REPLACE TEMP TABLE wh_valid AS SELECT n, ${EVENT_COLUMN_LIST} FROM wh_checked
     WHERE reason IS NULL`,
  );
  // Compute units are stored to 6 decimals: say how many rows had finer digits (never silent).
  const [{ rounded }] = await engine.query(
    `SELECT count(*)::INTEGER AS rounded FROM wh_checked c JOIN wh_raw r USING (n)
     WHERE c.reason IS NULL AND try_cast(r.compute_units AS DOUBLE) <> c.compute_units::DOUBLE`,
  );
  const stats = await storeValid(engine, options, Number(read), bad.length, quarantinedByMonth);
  return {
    ...stats,
    ...(quarantineFile ? { quarantineFile } : {}),
    ...(Number(rounded) > 0 ? { rounded: Number(rounded) } : {}),
  };
}

/** One quarantine line: the original fields (or the original JSON object) plus `reason`. */
function quarantineRecord(row: Record<string, unknown>): Record<string, unknown> {
  if (typeof row.src === "string") {
    try {
      const parsed = JSON.parse(row.src);
      const faithful = parsed && typeof parsed === "object" && !Array.isArray(parsed) &&
        Object.values(parsed).every((v) => typeof v !== "number" || Number.isFinite(v));
      // 1e999 parses to Infinity, which JSON would write as null: keep the line as it came
      if (faithful) return { ...parsed, reason: row.reason };
    } catch {
      // not JSON: keep the line as text
    }
    return { line: row.src, reason: row.reason };
  }
  const out: Record<string, unknown> = {};
  for (const name of FIELDS) {
    if (row[name] !== null && row[name] !== undefined) out[name] = row[name];
  }
  out.reason = row.reason;
  return out;
}

/**
 * Stores the rows of `wh_valid` (n, EVENT_COLUMNS typed): dedupes within
 * the batch (lowest n wins) and against the store, rewrites each touched
 * month, and appends the ingest log.
 */
export async function storeValid(
  engine: SqlEngine,
  options: IngestOptions,
  read: number,
  quarantined: number,
  quarantinedByMonth: Record<string, number> = {},
): Promise<ImportStats> {
  const months = await listMonths(options.store);
  const storeFiles = (await Promise.all(months.map((m) => monthFiles(options.store, m)))).flat();
  // distinct hashes == rows proves the ids distinct (and is ~2x cheaper than distinct strings)
  const [{ valid, distinct }] = await engine.query(
    `SELECT count(*)::BIGINT AS valid, count(DISTINCT hash(id))::BIGINT AS distinct FROM wh_valid`,
  );
  let source = "wh_valid";
  if (valid !== distinct) {
    await engine.exec(
      `CREATE OR REPLACE TEMP TABLE wh_first AS SELECT * FROM wh_valid
       QUALIFY row_number() OVER (PARTITION BY id ORDER BY n, ${EVENT_COLUMN_LIST}) = 1`,
    );
    source = "wh_first";
  }
  if (storeFiles.length > 0) {
    await engine.load("wh_store_ids", `SELECT id FROM read_parquet(${sqlListOf(storeFiles)})`);
    await engine.exec(
      `CREATE OR REPLACE TEMP TABLE wh_new AS SELECT * FROM ${source} v
       WHERE NOT EXISTS (SELECT 1 FROM wh_store_ids s WHERE s.id = v.id)`,
    );
    source = "wh_new";
  }
  const perMonth = await engine.query(
    `SELECT strftime(ts, '%Y-%m') AS month, count(*)::INTEGER AS stored,
       count(*) FILTER (WHERE event_type = '${UNAUTHENTICATED}')::INTEGER AS unauthenticated
     FROM ${source} GROUP BY ALL ORDER BY month`,
  );
  const validMonths = source === "wh_valid" ? [] : await engine.query(
    `SELECT strftime(ts, '%Y-%m') AS month, count(*)::INTEGER AS valid FROM wh_valid
     GROUP BY ALL ORDER BY month`,
  );
  for (const { month } of perMonth) {
    const m = String(month);
    const from = `TIMESTAMP '${m}-01 00:00:00'`;
    const to = `TIMESTAMP '${nextMonth(m)}-01 00:00:00'`;
    await rewriteMonth(
      engine,
      options.store,
      m,
      `SELECT ${EVENT_COLUMN_LIST} FROM ${source} WHERE ts >= ${from} AND ts < ${to}`,
    );
  }
  const stored = perMonth.reduce((sum, r) => sum + Number(r.stored), 0);
  const duplicates = Number(valid) - stored;
  const entry = ingestEntry(options, { read, stored, duplicates, quarantined });
  const touch = (m: string) => (entry.months[m] ??= { stored: 0, duplicates: 0, quarantined: 0 });
  for (const r of perMonth) touch(String(r.month)).stored = Number(r.stored);
  const storedIn = new Map(perMonth.map((r) => [String(r.month), Number(r.stored)]));
  for (const r of validMonths) {
    const dups = Number(r.valid) - (storedIn.get(String(r.month)) ?? 0);
    if (dups > 0) touch(String(r.month)).duplicates = dups;
  }
  for (const [m, c] of Object.entries(quarantinedByMonth)) touch(m).quarantined = c;
  await appendIngestLog(options.store, entry);
  await engine.unload("wh_first", "wh_new", "wh_valid", "wh_checked", "wh_raw", "wh_store_ids");
  return { read, stored, duplicates, quarantined };
}

function sqlListOf(files: string[]): string {
  return `[${files.map(sqlString).join(", ")}]`;
}

/**
 * Rewrites one month's file as (old rows + the rows of `fresh`, a SELECT of
 * the stored columns that yields only that month's rows) sorted by (ts, id).
 */
export async function rewriteMonth(
  engine: SqlEngine,
  store: string,
  month: string,
  fresh: string,
): Promise<void> {
  await (await prepareMonth(engine, store, month, fresh)).commit();
}

/**
 * The first half of {@linkcode rewriteMonth}: writes the new month file
 * beside the old one; `commit()` puts it in place (and removes the month's
 * other Parquet files, now inside it), `abort()` leaves the month as it was.
 */
export async function prepareMonth(
  engine: SqlEngine,
  store: string,
  month: string,
  fresh: string,
): Promise<PendingFile> {
  const old = await monthFiles(store, month);
  if (old.length > 0) {
    await engine.load("wh_old_month", readEventsSql(old));
  }
  // Always an ORDER BY, even when `fresh` alone is already in order: Parquet
  // row groups follow the sort's output chunks, so only a sort makes the
  // file's bytes independent of how the rows were batched.
  const select = `SELECT ${EVENT_COLUMN_LIST} FROM (${
    old.length === 0 ? fresh : `SELECT ${EVENT_COLUMN_LIST} FROM wh_old_month UNION ALL ${fresh}`
  }) ORDER BY ts, id`;
  const target = join(monthDir(store, month), MONTH_FILE);
  try {
    const pending = await writePending(target, (tmp) => engine.writeParquet(select, tmp));
    return {
      path: target,
      async commit() {
        await pending.commit();
        // other Parquet files of the month (from another writer) are now inside the rewritten file
        for (const file of old) if (file !== target) await Deno.remove(file);
      },
      abort: () => pending.abort(),
    };
  } finally {
    await engine.unload("wh_old_month");
  }
}
