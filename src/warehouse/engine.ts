/**
 * The one SQL engine interface the warehouse runs on. Two builds implement
 * it: native DuckDB (`@duckdb/node-api`, the default) and DuckDB-Wasm's
 * blocking Node build (`--engine wasm`). Everything above this file uses
 * only this interface and does not know which engine runs.
 *
 * @module
 */
import type { Engine } from "../cli/command.ts";

export type { Engine };

/** A result row: strings, numbers, booleans or null (BIGINT/DECIMAL/TIMESTAMP come cast to text). */
export type SqlRow = Record<string, unknown>;

/**
 * A DuckDB connection.
 *
 * `load` and `writeParquet` are the file-format edges: the Node Wasm build
 * ships without its `parquet` and `json` extensions (they are downloaded at
 * run time, which this machine cannot do), so for the wasm engine those two
 * run the Parquet/JSON decoding and encoding on native DuckDB and hand the
 * rows across as typed CSV; every other statement runs on the Wasm build.
 */
export interface SqlEngine {
  /** Which build runs the SQL. */
  readonly kind: Engine;
  /** Runs statements that return nothing. */
  exec(sql: string): Promise<void>;
  /**
   * Runs one query; BIGINT, HUGEINT and DECIMAL values come back as strings,
   * timestamps as ISO text. With `raw` the statement runs as given (no
   * DESCRIBE first): for queries that already cast every column to VARCHAR,
   * INTEGER, DOUBLE or BOOLEAN.
   */
  query(sql: string, options?: { raw?: boolean }): Promise<SqlRow[]>;
  /**
   * Makes `name` a temporary relation holding the rows of `sourceSql`, a
   * SELECT that may use the native-only readers (`read_parquet`,
   * `read_json`, `read_text`). With `materialize` the rows are copied
   * into a table now; otherwise the native engine keeps a lazy view (the
   * Wasm engine always copies).
   */
  load(name: string, sourceSql: string, options?: { materialize?: boolean }): Promise<void>;
  /** Drops temporary relations made by `load` or by `exec` (missing ones are fine). */
  unload(...names: string[]): Promise<void>;
  /** Writes the rows of `selectSql` (in its order) to a Parquet file at `path`. */
  writeParquet(selectSql: string, path: string): Promise<void>;
  /** Frees the engine. */
  close(): Promise<void>;
}

/**
 * Opens an engine of the given kind, in memory.
 *
 * @example
 * ```ts
 * import { openEngine } from "./engine.ts";
 * const engine = await openEngine("native");
 * console.log(await engine.query("SELECT 42::BIGINT AS answer")); // [{ answer: "42" }]
 * await engine.close();
 * ```
 */
export async function openEngine(kind: Engine = "native"): Promise<SqlEngine> {
  if (kind === "wasm") {
    const { openWasmEngine } = await import("./wasm.ts");
    return await openWasmEngine();
  }
  const { openNativeEngine } = await import("./native.ts");
  return await openNativeEngine();
}
