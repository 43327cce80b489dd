/**
 * The native engine: DuckDB through `@duckdb/node-api`, in memory.
 *
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { SqlEngine, SqlRow } from "./engine.ts";
import { dropRelations, plainValue, portableSelect, sqlString } from "./sql.ts";

/**
 * How every store file is written. zstd level 1: measured on 10M `scale`
 * events (12 per-month COPYs sorted by (ts, id), 2 shared cores, 3 runs
 * each) it writes 88 MB against snappy's 159 MB and uncompressed 366 MB,
 * for ~6% more write CPU (5.3-5.6 vs 4.8-5.2 CPU-s; uncompressed 4.5-5.0):
 * compression is a small share of the COPY next to the SELECT, the sort and
 * the encoding, and the rollup reads the smaller files as fast (327 vs 331
 * ms). PARQUET_VERSION V2 (delta encodings) would cut another quarter, but
 * older readers reject it, so the store stays on V1 pages.
 */
export const PARQUET_WRITE_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1";

/** Opens native DuckDB in memory. */
export async function openNativeEngine(): Promise<
  SqlEngine & { describe(sql: string): Promise<Array<[string, string]>> }
> {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  // The native build has ICU, whose session time zone defaults to the host's: without this,
  // casting '...Z' text through TIMESTAMPTZ to TIMESTAMP would give local wall time, and a
  // machine outside UTC would store every event shifted (and in the wrong month).
  await con.run("SET TimeZone = 'UTC'");
  const loaded = new Map<string, "TABLE" | "VIEW">();
  const describe = async (sql: string): Promise<Array<[string, string]>> => {
    const reader = await con.runAndReadAll(`DESCRIBE ${sql}`);
    return reader.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]);
  };
  const rawQuery = async (sql: string): Promise<SqlRow[]> => {
    const reader = await con.runAndReadAll(sql);
    const names = reader.columnNames();
    const columns = reader.getColumnsJS();
    const rows: SqlRow[] = new Array(reader.currentRowCount);
    for (let i = 0; i < rows.length; i++) {
      const row: SqlRow = {};
      for (let c = 0; c < names.length; c++) {
        const v = columns[c][i];
        row[names[c]] = typeof v === "object" || typeof v === "bigint" ? plainValue(v) : v;
      }
      rows[i] = row;
    }
    return rows;
  };
  return {
    kind: "native",
    describe,
    async exec(sql) {
      await con.run(sql);
    },
    async query(sql, options = {}) {
      if (options.raw) return await rawQuery(sql);
      let types: Array<[string, string]>;
      try {
        types = await describe(sql);
      } catch {
        return await rawQuery(sql);
      }
      return await rawQuery(portableSelect(sql, types));
    },
    async load(name, sourceSql, options = {}) {
      const kind = options.materialize ? "TABLE" : "VIEW";
      const before = loaded.get(name);
      if (before !== undefined && before !== kind) await con.run(`DROP ${before} ${name}`);
      await con.run(`CREATE OR REPLACE TEMP ${kind} ${name} AS ${sourceSql}`);
      loaded.set(name, kind);
    },
    async unload(...names) {
      for (const name of names) {
        const kind = loaded.get(name);
        loaded.delete(name);
        if (kind) await con.run(`DROP ${kind} IF EXISTS ${name}`);
        else await dropRelations({ exec: async (sql) => void await con.run(sql) }, name);
      }
    },
    async writeParquet(selectSql, path) {
      await con.run(`COPY (${selectSql}) TO ${sqlString(path)} (${PARQUET_WRITE_OPTIONS})`);
    },
    close() {
      con.closeSync();
      instance.closeSync();
      return Promise.resolve();
    },
  };
}
