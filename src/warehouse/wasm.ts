/**
 * The Wasm engine: DuckDB-Wasm's blocking Node build with `NODE_RUNTIME`,
 * which opens local paths directly through `node:fs` (COPY ... TO a local
 * CSV file works). The Node build ships only `core_functions`: its
 * `parquet` and `json` extensions are fetched from the network at run time,
 * which this project cannot rely on. So {@linkcode SqlEngine.load} and
 * {@linkcode SqlEngine.writeParquet} decode/encode Parquet and JSON on a
 * native DuckDB helper and move the rows across as typed CSV (exact:
 * decimals and timestamps as text); every query runs on the Wasm build.
 *
 * @module
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import type { SqlEngine, SqlRow } from "./engine.ts";
import { openNativeEngine } from "./native.ts";
import { dropRelations, plainValue, portableSelect, sqlString } from "./sql.ts";

function csvColumns(types: Array<[string, string]>): string {
  return `{${types.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(", ")}}`;
}

function readCsvSql(path: string, types: Array<[string, string]>): string {
  return `read_csv(${sqlString(path)}, columns = ${csvColumns(types)}, header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false)`;
}

/** Opens DuckDB-Wasm (blocking Node build) in memory, with a native helper for Parquet/JSON files. */
export async function openWasmEngine(): Promise<SqlEngine> {
  const require = createRequire(import.meta.url);
  const bundles = {
    mvp: {
      mainModule: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm"),
      mainWorker: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-mvp.worker.cjs"),
    },
    eh: {
      mainModule: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"),
      mainWorker: require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-eh.worker.cjs"),
    },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const con = db.connect();
  con.query("SET autoinstall_known_extensions = false; SET autoload_known_extensions = false");
  const helper = await openNativeEngine();
  const tmpDir = await Deno.makeTempDir({ prefix: "meterbook-wasm-" });
  let counter = 0;
  const tmpCsv = () => join(tmpDir, `t${++counter}.csv`);

  const run = (sql: string): SqlRow[] =>
    con.query(sql).toArray().map((row: { toJSON(): Record<string, unknown> }) => {
      const out: SqlRow = {};
      for (const [k, v] of Object.entries(row.toJSON())) out[k] = plainValue(v);
      return out;
    });
  const describe = (sql: string): Array<[string, string]> =>
    run(`DESCRIBE ${sql}`).map((r) => [String(r.column_name), String(r.column_type)]);

  return {
    kind: "wasm",
    exec(sql) {
      con.query(sql);
      return Promise.resolve();
    },
    query(sql, options = {}) {
      if (options.raw) return Promise.resolve(run(sql));
      let types: Array<[string, string]>;
      try {
        types = describe(sql);
      } catch {
        return Promise.resolve(run(sql));
      }
      return Promise.resolve(run(portableSelect(sql, types)));
    },
    async load(name, sourceSql) {
      const types = await helper.describe(sourceSql);
      const csv = tmpCsv();
      try {
        await helper.exec(`COPY (${sourceSql}) TO ${sqlString(csv)} (HEADER, DELIMITER ',')`);
        con.query(
          `CREATE OR REPLACE TEMP TABLE ${name} AS SELECT * FROM ${readCsvSql(csv, types)}`,
        );
      } finally {
        await Deno.remove(csv).catch(() => {});
      }
    },
    async unload(...names) {
      for (const name of names) {
        await dropRelations({ exec: (s) => Promise.resolve(void con.query(s)) }, name);
      }
    },
    async writeParquet(selectSql, path) {
      const types = describe(selectSql);
      const csv = tmpCsv();
      try {
        con.query(`COPY (${selectSql}) TO ${sqlString(csv)} (HEADER, DELIMITER ',')`);
        await helper.writeParquet(`SELECT * FROM ${readCsvSql(csv, types)}`, path);
      } finally {
        await Deno.remove(csv).catch(() => {});
      }
    },
    async close() {
      con.close();
      db.reset();
      await helper.close();
      await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    },
  };
}
