/**
 * Small SQL text helpers shared by the warehouse files.
 *
 * @module
 */
import { EVENT_COLUMNS } from "../events/event.ts";

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL list of string literals, like `['a', 'b']`. */
export function sqlList(values: readonly string[]): string {
  return `[${values.map(sqlString).join(", ")}]`;
}

/** The stored column names, comma separated. */
export const EVENT_COLUMN_LIST = EVENT_COLUMNS.map(([name]) => name).join(", ");

/** An empty SELECT with exactly the stored columns and types. */
export const EMPTY_EVENTS_SQL = `SELECT ${
  EVENT_COLUMNS.map(([name, type]) => `NULL::${type} AS ${name}`).join(", ")
} WHERE false`;

/**
 * `SELECT ... FROM read_parquet(files)` with the stored columns (and, with
 * `month`, the partition's `month` as VARCHAR), or the empty relation.
 */
export function readEventsSql(files: readonly string[], options: { month?: boolean } = {}): string {
  const month = options.month ? ", month" : "";
  if (files.length === 0) {
    return options.month
      ? `SELECT *, NULL::VARCHAR AS month FROM (${EMPTY_EVENTS_SQL})`
      : EMPTY_EVENTS_SQL;
  }
  const hive = options.month ? ", hive_partitioning = true, hive_types = {'month': VARCHAR}" : "";
  return `SELECT ${EVENT_COLUMN_LIST}${month} FROM read_parquet(${sqlList(files)}${hive})`;
}

/** Expression giving `ts` as ISO 8601 text with milliseconds and `Z`. */
export function isoTs(column = "ts"): string {
  return `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
}

const TEXT_TYPES =
  /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|DECIMAL|TIMESTAMP|DATE|TIME|INTERVAL|UUID|BLOB)/;

/**
 * Wraps a SELECT so that every value comes back as a string, number, boolean
 * or null on both engines: 64/128-bit integers and decimals as exact text,
 * timestamps as ISO text, dates as `YYYY-MM-DD`.
 */
export function portableSelect(sql: string, types: Array<[string, string]>): string {
  const cols = types.map(([name, type]) => {
    const q = `"${name.replaceAll('"', '""')}"`;
    if (/^TIMESTAMP( WITH TIME ZONE)?$|^TIMESTAMP_(MS|NS|S)$/.test(type)) {
      return `${isoTs(`${q}::TIMESTAMP`)} AS ${q}`;
    }
    if (TEXT_TYPES.test(type)) return `${q}::VARCHAR AS ${q}`;
    return q;
  });
  return `SELECT ${cols.join(", ")} FROM (${sql}) AS portable_q`;
}

/** Converts a leftover engine value (bigint, Date, decimal object) to plain data. */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return String(value);
  return value;
}

/** Drops temporary tables or views by name, whichever they are (missing ones are fine). */
export async function dropRelations(
  engine: { exec(sql: string): Promise<void> },
  ...names: string[]
): Promise<void> {
  for (const name of names) {
    for (const kind of ["VIEW", "TABLE"]) {
      try {
        await engine.exec(`DROP ${kind} IF EXISTS ${name}`);
      } catch {
        // it is the other kind
      }
    }
  }
}
