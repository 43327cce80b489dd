/**
 * The embedded event store: Parquet files partitioned by month, queried with
 * DuckDB (native or Wasm). See {@linkcode openWarehouse}.
 *
 * @module
 */
import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import { sha256Hex } from "../hash.ts";
import {
  EVENT_COLUMNS,
  EVENT_TYPE_SQL_PATTERN,
  tenantIdSql,
  UNAUTHENTICATED,
} from "../events/event.ts";
import type { UsageEvent } from "../events/event.ts";
import { isMonth } from "../events/month.ts";
import { type Engine, openEngine, type SqlEngine } from "./engine.ts";
import { inputFormat, loadRaw } from "./formats.ts";
import { streamParts } from "./append_query.ts";
import { appendChunks, type MonthChunks } from "./append_chunks.ts";
import { FIELDS, type ImportStats, ingestRaw, storeValid } from "./ingest.ts";
import { qualityFromLog, readIngestLog } from "./meta.ts";
import { EVENT_COLUMN_LIST, isoTs, readEventsSql, sqlString } from "./sql.ts";
import {
  listMonths,
  monthFiles,
  nextMonth,
  previousMonth,
  removeUnfinishedWrites,
  storeFolderOf,
  writeAtomic,
} from "./store.ts";
import { localMonthRange } from "./timezones.ts";

export type { Engine, ImportStats };

/**
 * The ingest log's content key of an `appendQuery` call with these SELECTs:
 * pass it to `appendChunks` when its chunks are the same rows, so that a
 * later run through either path counts as the same input.
 *
 * @example
 * ```ts
 * import { queryIngestKey } from "./warehouse.ts";
 * (await queryIngestKey(["SELECT 1"])).length; // 16
 * ```
 */
export async function queryIngestKey(parts: readonly string[]): Promise<string> {
  return (await sha256Hex(parts.join("\n;\n"))).slice(0, 16);
}

/** One rollup row. compute_units is an exact decimal string with 6 decimals, e.g. "12.345678". */
export interface UsageRow {
  month: string;
  tenant_id: string | null;
  event_type: string;
  events: number;
  compute_units: string;
}

/** One row of {@linkcode Warehouse.dailyUsage}. */
export type DailyUsageRow = { day: string } & Omit<UsageRow, "month">;

/** Data-quality counts of one month. */
export interface DataQuality {
  /** Rejected rows whose timestamp falls in the month. */
  quarantined: number;
  /** Rows of the month not stored because their id was already stored or repeated. */
  duplicates: number;
  /** Stored events of the month that an import run after the month's end (UTC) stored. */
  late: number;
  /** Stored `unauthenticated` events of the month. */
  unauthenticated: number;
}

/** Export formats. */
export type ExportFormat = "csv" | "ndjson" | "parquet";

/** Options of {@linkcode openWarehouse}. */
export interface WarehouseOptions {
  /** The store folder (created on first write). */
  store: string;
  /** The DuckDB build that runs the SQL (default `native`). */
  engine?: Engine;
  /**
   * The clock that stamps imports in the ingest log (late-event counts).
   * Without it imports are not stamped and never count as late; the CLI
   * passes the real clock.
   */
  clock?: () => Date;
  /**
   * Receives a line for each temporary file of a stopped write (a killed
   * import) that a write removes from the store (default: none). The CLI
   * passes its stderr log.
   */
  log?: (line: string) => void;
}

/** The event store. Methods run one at a time (calls queue). */
export interface Warehouse {
  readonly store: string;
  readonly engine: Engine;
  /** Frees the engine. */
  close(): Promise<void>;
  /** Months with events, ascending (`YYYY-MM`). */
  months(): Promise<string[]>;
  /** Stores events, validated and deduped like an import. */
  append(events: UsageEvent[]): Promise<ImportStats>;
  /**
   * Stores the rows of a SELECT that yields the EVENT_COLUMNS by name (any
   * order; id, ts, tenant_id, event_type, compute_units required, the others
   * NULL when absent; values cast to the stored types), validated and deduped in SQL. A repeated
   * id keeps the row with the earliest (ts, tenant_id, event_type,
   * compute_units). Bad rows are quarantined as in an import.
   *
   * A list of SELECTs is one batch (their UNION ALL). When each lies inside
   * one month (e.g. one SELECT per month) and the batch is provably valid and
   * new (see `streamParts`), each month is written straight from its
   * SELECT(s), without a temp table: the fast path for generated data.
   */
  appendQuery(selectSql: string | readonly string[]): Promise<ImportStats>;
  /**
   * Stores months of columnar chunks through meterbook's own Parquet writer
   * (no DuckDB encoding: several times faster), when that is provably the
   * same as validating and deduping them: each month is new to the store
   * and every id is new (checked row by row as it is written: valid, in the
   * month, ids ascending, id ranges disjoint). Otherwise returns null having
   * changed nothing: store the same rows another way (`appendQuery`). A row
   * that fails its check is an error. `key` is the ingest log's content key
   * (see {@linkcode queryIngestKey}).
   */
  appendChunks(
    months: readonly MonthChunks[],
    options: { key: string },
  ): Promise<ImportStats | null>;
  /** Imports .ndjson/.jsonl/.csv/.parquet files (all are checked before any is read). */
  importFiles(paths: string[]): Promise<ImportStats>;
  /** Writes a month's events, sorted by (ts, id), to one file; returns the row count. */
  exportMonth(month: string, format: ExportFormat, output: string): Promise<number>;
  /**
   * Rollup for one month, sorted by tenant_id, event_type. timeZones:
   * tenant_id -> IANA zone: that tenant's month is its local calendar month
   * (reads the adjacent UTC partitions too).
   */
  usage(month: string, options?: { timeZones?: Record<string, string> }): Promise<UsageRow[]>;
  /** Rollup per UTC month for a range (inclusive); default every month in the store. */
  usageByMonth(options?: { from?: string; to?: string }): Promise<UsageRow[]>;
  /** Per UTC day, tenant and event type, for charts. */
  dailyUsage(options?: { from?: string; to?: string }): Promise<DailyUsageRow[]>;
  /** Data-quality counts for a month. */
  dataQuality(month: string): Promise<DataQuality>;
  /**
   * Raw SQL escape hatch. The view `events` holds every stored event plus its
   * `month`. BIGINT/DECIMAL come back as strings, timestamps as ISO text.
   */
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/**
 * Opens (or creates on first write) the event store at `store`.
 *
 * @example
 * ```ts
 * import { openWarehouse } from "./warehouse.ts";
 * const wh = await openWarehouse({ store: await Deno.makeTempDir() });
 * await wh.append([{ id: "e1", ts: "2026-10-01T12:00:00.000Z", tenant_id: "dept_a",
 *   event_type: "api_call", compute_units: 0.005 }]);
 * console.log(await wh.usage("2026-10"));
 * // [{ month: "2026-10", tenant_id: "dept_a", event_type: "api_call", events: 1, compute_units: "0.005000" }]
 * await wh.close();
 * ```
 */
export async function openWarehouse(options: WarehouseOptions): Promise<Warehouse> {
  const engine = await openEngine(options.engine ?? "native");
  return new DuckWarehouse(options.store, engine, options.clock, options.log);
}

const REQUIRED = ["id", "ts", "tenant_id", "event_type", "compute_units"];

function checkMonth(month: string, what = "month"): string {
  if (!isMonth(month)) {
    throw new UserError(`${what} ${JSON.stringify(month)}: expected a month like 2026-10`);
  }
  return month;
}

function tsLiteral(ms: number): string {
  return `TIMESTAMP '${new Date(ms).toISOString().replace("T", " ").replace("Z", "")}'`;
}

function rollupSql(source: string, monthExpr: string): string {
  return `SELECT ${monthExpr} AS month, tenant_id, event_type, count(*)::INTEGER AS events,
      sum(compute_units)::VARCHAR AS compute_units
    FROM ${source} GROUP BY ALL ORDER BY month, tenant_id NULLS LAST, event_type`;
}

function toUsageRows(rows: Record<string, unknown>[]): UsageRow[] {
  return rows.map((r) => ({
    month: String(r.month),
    tenant_id: r.tenant_id === null ? null : String(r.tenant_id),
    event_type: String(r.event_type),
    events: Number(r.events),
    compute_units: String(r.compute_units),
  }));
}

/** JSON number literal of a decimal string, without trailing zeros. */
function decimalLiteral(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

class DuckWarehouse implements Warehouse {
  readonly store: string;
  readonly engine: Engine;
  #sql: SqlEngine;
  #clock?: () => Date;
  #log?: (line: string) => void;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store: string, sql: SqlEngine, clock?: () => Date, log?: (line: string) => void) {
    this.store = store;
    this.engine = sql.kind;
    this.#sql = sql;
    this.#clock = clock;
    this.#log = log;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Like `#serial`, and across processes too: a write reads the store (ids for dedupe, the month
   * files it merges into) and renames new month files into place, so two processes writing one
   * month at once would each rename a file missing the other's rows. The store's write lock
   * (`_meta/write.lock`, an exclusive flock) makes every write wait for the one before it.
   * Holding it, a write first removes the temporary files of writes that stopped (a killed
   * import): no other write can be making one then.
   */
  #write<T>(work: () => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      const meta = join(this.store, "_meta");
      await Deno.mkdir(meta, { recursive: true });
      using lock = await Deno.open(join(meta, "write.lock"), { create: true, write: true });
      await lock.lock(true);
      try {
        await removeUnfinishedWrites(this.store, { log: this.#log });
        return await work();
      } finally {
        await lock.unlock();
      }
    });
  }

  close(): Promise<void> {
    return this.#serial(() => this.#sql.close());
  }

  months(): Promise<string[]> {
    return listMonths(this.store);
  }

  append(events: UsageEvent[]): Promise<ImportStats> {
    return this.#write(async () => {
      if (events.length === 0) return { read: 0, stored: 0, duplicates: 0, quarantined: 0 };
      const text = events.map((e) =>
        JSON.stringify(e, (_key, value) =>
          typeof value === "number" && !Number.isFinite(value) ? String(value) : value)
      ).join("\n") + "\n";
      const tmp = await Deno.makeTempFile({ prefix: "meterbook-append-", suffix: ".ndjson" });
      try {
        await Deno.writeTextFile(tmp, text);
        await loadRaw(this.#sql, tmp, "ndjson");
        return await ingestRaw(this.#sql, {
          store: this.store,
          source: "append",
          key: (await sha256Hex(text)).slice(0, 16),
          at: this.#clock?.(),
        });
      } finally {
        await Deno.remove(tmp).catch(() => {});
      }
    });
  }

  appendChunks(
    months: readonly MonthChunks[],
    options: { key: string },
  ): Promise<ImportStats | null> {
    return this.#write(() =>
      appendChunks(this.#sql, months, {
        store: this.store,
        source: "chunks",
        key: options.key,
        at: this.#clock?.(),
      })
    );
  }

  appendQuery(selectSql: string | readonly string[]): Promise<ImportStats> {
    return this.#write(async () => {
      const sql = this.#sql;
      const parts = typeof selectSql === "string" ? [selectSql] : [...selectSql];
      if (parts.length === 0) return { read: 0, stored: 0, duplicates: 0, quarantined: 0 };
      const typed: string[] = [];
      for (const part of parts) {
        const given = new Set(
          (await sql.query(`DESCRIBE SELECT * FROM (${part})`)).map((r) => String(r.column_name)),
        );
        const missing = REQUIRED.filter((c) => !given.has(c));
        if (missing.length > 0) {
          throw new UserError(
            `appendQuery: the SELECT lacks the column(s) ${missing.join(", ")}; it must yield ${
              REQUIRED.join(", ")
            } (optional: the other EVENT_COLUMNS)`,
          );
        }
        const cols = EVENT_COLUMNS.map(([name, type]) =>
          given.has(name) ? `CAST("${name}" AS ${type}) AS "${name}"` : `NULL::${type} AS "${name}"`
        );
        typed.push(`SELECT ${cols.join(", ")} FROM (${part})`);
      }
      const key = await queryIngestKey(parts);
      const options = { store: this.store, source: "query", key, at: this.#clock?.() };
      const streamed = await streamParts(sql, typed, options);
      if (streamed) return streamed;
      await sql.exec(`CREATE OR REPLACE TEMP TABLE wh_q AS ${typed.join(" UNION ALL ")}`);
      const typeRe = sqlString(EVENT_TYPE_SQL_PATTERN);
      const [{ bad_rows, read }] = await sql.query(
        `SELECT count(*) FILTER (WHERE id IS NULL OR id = '' OR ts IS NULL OR event_type IS NULL
           OR compute_units IS NULL OR compute_units < 0)::BIGINT AS bad_rows, count(*)::BIGINT AS read
         FROM wh_q`,
      );
      const [{ bad_keys }] = await sql.query(
        `SELECT count(*)::BIGINT AS bad_keys FROM (SELECT DISTINCT tenant_id, event_type FROM wh_q)
         WHERE NOT regexp_full_match(event_type, ${typeRe})
           OR (tenant_id IS NULL AND event_type <> '${UNAUTHENTICATED}')
           OR (tenant_id IS NOT NULL AND NOT ${tenantIdSql("tenant_id")})`,
      );
      if (bad_rows !== "0" || bad_keys !== "0") {
        // slow path: re-check every row as text to name each problem
        const fields = FIELDS.map((f) =>
          f === "ts" ? `${isoTs("ts")} AS ts` : `${f}::VARCHAR AS ${f}`
        );
        await sql.exec(
          `CREATE OR REPLACE TEMP TABLE wh_raw AS SELECT row_number() OVER () AS n,
             NULL::VARCHAR AS src, true AS is_object, ${fields.join(", ")} FROM wh_q;
           DROP TABLE wh_q`,
        );
        return await ingestRaw(sql, options);
      }
      await sql.exec(
        `CREATE OR REPLACE TEMP VIEW wh_valid AS SELECT 0::BIGINT AS n, ${EVENT_COLUMN_LIST} FROM wh_q`,
      );
      const stats = await storeValid(sql, options, Number(read), 0);
      await sql.unload("wh_valid", "wh_q");
      return stats;
    });
  }

  importFiles(paths: string[]): Promise<ImportStats> {
    return this.#write(async () => {
      const inputs: Array<{ path: string; format: ReturnType<typeof inputFormat> }> = [];
      for (const path of paths) {
        try {
          const info = await Deno.stat(path);
          if (!info.isFile) throw new UserError(`Cannot import "${path}": not a file`);
        } catch (error) {
          if (error instanceof Deno.errors.NotFound) {
            throw new UserError(`Cannot import "${path}": no such file`);
          }
          throw error;
        }
        inputs.push({ path, format: inputFormat(path) });
      }
      const total: ImportStats = { read: 0, stored: 0, duplicates: 0, quarantined: 0 };
      const quarantineFiles: string[] = [];
      const done: string[] = [];
      for (const { path, format } of inputs) {
        const key = (await sha256Hex(await Deno.readFile(path))).slice(0, 16);
        try {
          await loadRaw(this.#sql, path, format);
        } catch (error) {
          // the files before this one are stored: say so, so that nothing looks lost or undone
          if (!(error instanceof UserError) || done.length === 0) throw error;
          throw new UserError(
            `${error.message} (already imported before it: ${done.join("; ")}; ` +
              `importing them again stores nothing new)`,
            { cause: error },
          );
        }
        const stats = await ingestRaw(this.#sql, {
          store: this.store,
          source: basename(path).replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_.-]/g, "_"),
          key,
          at: this.#clock?.(),
        });
        total.read += stats.read;
        total.stored += stats.stored;
        total.duplicates += stats.duplicates;
        total.quarantined += stats.quarantined;
        if (stats.rounded) total.rounded = (total.rounded ?? 0) + stats.rounded;
        if (stats.quarantineFile) quarantineFiles.push(stats.quarantineFile);
        done.push(`${path}: ${stats.read} read, ${stats.stored} stored`);
      }
      if (quarantineFiles.length > 0) total.quarantineFile = quarantineFiles[0];
      if (quarantineFiles.length > 1) total.quarantineFiles = quarantineFiles;
      return total;
    });
  }

  exportMonth(month: string, format: ExportFormat, output: string): Promise<number> {
    return this.#serial(async () => {
      checkMonth(month);
      const folder = await storeFolderOf(this.store, output);
      if (folder !== null) {
        throw new UserError(
          `Cannot export to ${output}: it is inside ${folder}/ of the event store ${this.store}, ` +
            "where a file could be read as stored events or removed as a stopped write's " +
            "leftover; write it outside the store's folders",
        );
      }
      const sql = this.#sql;
      await sql.load("wh_export", readEventsSql(await monthFiles(this.store, month)));
      const ordered = `SELECT ${EVENT_COLUMN_LIST} FROM wh_export ORDER BY ts, id`;
      const [{ n }] = await sql.query(`SELECT count(*)::INTEGER AS n FROM wh_export`);
      if (format === "parquet") {
        await writeAtomic(output, (tmp) => sql.writeParquet(ordered, tmp));
      } else if (format === "csv") {
        const cols = FIELDS.map((f) =>
          f === "ts"
            ? `${isoTs("ts")} AS ts`
            : f === "compute_units"
            ? `compute_units::VARCHAR AS compute_units`
            : f
        );
        await writeAtomic(output, (tmp) =>
          sql.exec(
            `COPY (SELECT ${cols.join(", ")} FROM (${ordered})) TO ${
              sqlString(tmp)
            } (HEADER, DELIMITER ',')`,
          ));
      } else if (format === "ndjson") {
        const rows = await sql.query(ordered);
        const lines = rows.map((row) => {
          const parts: string[] = [];
          for (const f of FIELDS) {
            const v = row[f];
            if (v === null && f !== "tenant_id") continue;
            parts.push(
              `${JSON.stringify(f)}:${
                f === "compute_units" ? decimalLiteral(String(v)) : JSON.stringify(v)
              }`,
            );
          }
          return `{${parts.join(",")}}`;
        });
        await writeAtomic(
          output,
          (tmp) => Deno.writeTextFile(tmp, lines.length ? lines.join("\n") + "\n" : ""),
        );
      } else {
        throw new UserError(
          `Unknown export format ${JSON.stringify(format)}: give csv, ndjson or parquet`,
        );
      }
      await sql.unload("wh_export");
      return Number(n);
    });
  }

  usage(month: string, options: { timeZones?: Record<string, string> } = {}): Promise<UsageRow[]> {
    return this.#serial(async () => {
      checkMonth(month);
      const sql = this.#sql;
      const zoned = Object.entries(options.timeZones ?? {}).filter(([, zone]) => zone);
      if (zoned.length === 0) {
        await sql.load("wh_usage", readEventsSql(await monthFiles(this.store, month)));
        const rows = await sql.query(rollupSql("wh_usage", sqlString(month)), { raw: true });
        await sql.unload("wh_usage");
        return toUsageRows(rows);
      }
      const files = [];
      for (const m of [previousMonth(month), month, nextMonth(month)]) {
        files.push(...await monthFiles(this.store, m));
      }
      await sql.load("wh_usage", readEventsSql(files));
      const values = zoned.map(([tenant, zone]) => {
        const [start, end] = localMonthRange(month, zone);
        return `(${sqlString(tenant)}, ${tsLiteral(start)}, ${tsLiteral(end)})`;
      });
      const utcStart = tsLiteral(Date.parse(`${month}-01T00:00:00Z`));
      const utcEnd = tsLiteral(Date.parse(`${nextMonth(month)}-01T00:00:00Z`));
      const source = `(SELECT e.* FROM wh_usage e
          LEFT JOIN (VALUES ${values.join(", ")}) AS z(zone_tenant, start_ts, end_ts)
            ON e.tenant_id = z.zone_tenant
          WHERE CASE WHEN z.zone_tenant IS NULL THEN e.ts >= ${utcStart} AND e.ts < ${utcEnd}
                ELSE e.ts >= z.start_ts AND e.ts < z.end_ts END)`;
      const rows = await sql.query(rollupSql(source, sqlString(month)), { raw: true });
      await sql.unload("wh_usage");
      return toUsageRows(rows);
    });
  }

  async #rangeFiles(options: { from?: string; to?: string }): Promise<string[]> {
    if (options.from) checkMonth(options.from, "from");
    if (options.to) checkMonth(options.to, "to");
    const months = (await listMonths(this.store)).filter((m) =>
      (!options.from || m >= options.from) && (!options.to || m <= options.to)
    );
    return (await Promise.all(months.map((m) => monthFiles(this.store, m)))).flat();
  }

  usageByMonth(options: { from?: string; to?: string } = {}): Promise<UsageRow[]> {
    return this.#serial(async () => {
      const sql = this.#sql;
      const files = await this.#rangeFiles(options);
      await sql.load("wh_range", readEventsSql(files, { month: true }));
      const rows = await sql.query(rollupSql("wh_range", "month"), { raw: true });
      await sql.unload("wh_range");
      return toUsageRows(rows);
    });
  }

  dailyUsage(options: { from?: string; to?: string } = {}): Promise<DailyUsageRow[]> {
    return this.#serial(async () => {
      const sql = this.#sql;
      const files = await this.#rangeFiles(options);
      await sql.load("wh_range", readEventsSql(files));
      const rows = await sql.query(
        `SELECT ts::DATE::VARCHAR AS day, tenant_id, event_type, count(*)::INTEGER AS events,
           sum(compute_units)::VARCHAR AS compute_units
         FROM wh_range GROUP BY ALL ORDER BY day, tenant_id NULLS LAST, event_type`,
        { raw: true },
      );
      await sql.unload("wh_range");
      return rows.map((r) => ({
        day: String(r.day),
        tenant_id: r.tenant_id === null ? null : String(r.tenant_id),
        event_type: String(r.event_type),
        events: Number(r.events),
        compute_units: String(r.compute_units),
      }));
    });
  }

  dataQuality(month: string): Promise<DataQuality> {
    return this.#serial(async () => {
      checkMonth(month);
      const sql = this.#sql;
      const fromLog = qualityFromLog(await readIngestLog(this.store), month);
      await sql.load("wh_dq", readEventsSql(await monthFiles(this.store, month)));
      const [{ n }] = await sql.query(
        `SELECT count(*)::INTEGER AS n FROM wh_dq WHERE event_type = '${UNAUTHENTICATED}'`,
      );
      await sql.unload("wh_dq");
      return { ...fromLog, unauthenticated: Number(n) };
    });
  }

  query(text: string): Promise<Record<string, unknown>[]> {
    return this.#serial(async () => {
      if (/\bevents\b/i.test(text)) {
        const files = await this.#rangeFiles({});
        await this.#sql.load("events", readEventsSql(files, { month: true }));
      }
      return await this.#sql.query(text);
    });
  }
}
