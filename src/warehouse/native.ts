/**
 * The native engine: DuckDB through `@duckdb/node-api`, in memory.
 *
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { SqlEngine, SqlRow } from "./engine.ts";
import { dropRelations, plainValue, portableSelect, sqlString } from "./sql.ts";

/** Opens native DuckDB in memory. */
export async function openNativeEngine(): Promise<
  SqlEngine & { describe(sql: string): Promise<Array<[string, string]>> }
> {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
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
      await con.run(
        `COPY (${selectSql}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION snappy)`,
      );
    },
    close() {
      con.closeSync();
      instance.closeSync();
      return Promise.resolve();
    },
  };
}
