/**
 * Input formats of `importFiles`: each file becomes the raw table `wh_raw`
 * (n = 1-based position in the file, src = the original NDJSON line,
 * is_object, and every event field as VARCHAR, NULL when absent).
 *
 * @module
 */
import { errorMessage, UserError } from "../errors.ts";
import type { SqlEngine } from "./engine.ts";
import { FIELDS } from "./ingest.ts";
import { sqlString } from "./sql.ts";

/** An input file format. */
export type InputFormat = "ndjson" | "csv" | "parquet";

/** The format of a file, from its extension; throws a UserError for anything else. */
export function inputFormat(path: string): InputFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".parquet")) return "parquet";
  throw new UserError(
    `Cannot import "${path}": unknown format; give a .ndjson, .jsonl, .csv or .parquet file`,
  );
}

function q(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Loads one input file into `wh_raw` on the engine. */
export async function loadRaw(engine: SqlEngine, path: string, format: InputFormat): Promise<void> {
  const file = sqlString(path);
  try {
    if (format === "ndjson") {
      const fields = FIELDS.map((f) =>
        `CASE WHEN is_object THEN json_extract_string(try_cast(line AS JSON), ${
          sqlString(`$.${f}`)
        }) END AS ${f}`
      );
      await engine.load(
        "wh_raw",
        `SELECT n, line AS src, is_object, ${fields.join(", ")} FROM (
           SELECT n, line, coalesce(json_type(try_cast(line AS JSON)) = 'OBJECT', false) AS is_object
           FROM (
             SELECT unnest(generate_series(1, len(lines))) AS n, unnest(lines) AS line
             FROM (SELECT string_split(replace(content, chr(13), ''), chr(10)) AS lines FROM read_text(${file}))
           ) WHERE trim(line) <> '')`,
        { materialize: true },
      );
      return;
    }
    const reader = format === "csv"
      ? `read_csv(${file}, all_varchar = true, header = true, null_padding = true, allow_quoted_nulls = false)`
      : `read_parquet(${file})`;
    await engine.load("wh_file", `SELECT row_number() OVER () AS wh_n, * FROM ${reader}`, {
      materialize: true,
    });
  } catch (error) {
    throw new UserError(`Cannot read "${path}" as ${format}: ${firstLine(error)}`, {
      cause: error,
    });
  }
  const columns = new Set(
    (await engine.query(`DESCRIBE wh_file`)).map((r) => String(r.column_name)),
  );
  const fields = FIELDS.map((f) =>
    columns.has(f) ? `${q(f)}::VARCHAR AS ${f}` : `NULL::VARCHAR AS ${f}`
  );
  await engine.exec(
    `CREATE OR REPLACE TEMP TABLE wh_raw AS SELECT wh_n AS n, NULL::VARCHAR AS src, true AS is_object, ${
      fields.join(", ")
    } FROM wh_file; DROP TABLE IF EXISTS wh_file`,
  );
}

function firstLine(error: unknown): string {
  return errorMessage(error).split("\n")[0];
}
