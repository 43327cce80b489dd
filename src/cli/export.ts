/**
 * `deno task export --month YYYY-MM --format csv|ndjson|parquet --output FILE`:
 * writes one month's events to one file, sorted by (ts, id).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { ExportFormat } from "../warehouse/mod.ts";
import { openCompactedWarehouse } from "../metering/compact.ts";
import type { Command } from "./command.ts";

const FORMATS = ["csv", "ndjson", "parquet"];

/** The `export` command. */
export const command: Command = {
  name: "export",
  summary: "export one month's events to a CSV, NDJSON or Parquet file",
  usage: "--month YYYY-MM --format csv|ndjson|parquet --output FILE",
  description: `
The file holds every stored event of the month (UTC), sorted by (ts, id), with the stored
columns; ts is ISO 8601 UTC with milliseconds, compute_units exact to 6 decimals.`,
  options: {
    format: { type: "string", valueName: "csv|ndjson|parquet", description: "the file format" },
    output: { type: "string", valueName: "FILE", description: "the file to write" },
  },
  async run(ctx) {
    const month = ctx.common.month;
    if (month === undefined) throw new UserError("--month YYYY-MM is required");
    const output = ctx.values.output as string | undefined;
    if (!output) throw new UserError("--output FILE is required");
    let format = ctx.values.format as string | undefined;
    if (format === undefined) {
      format = FORMATS.find((f) => output.toLowerCase().endsWith(`.${f}`)) ??
        (output.toLowerCase().endsWith(".jsonl") ? "ndjson" : undefined);
    }
    if (format === undefined || !FORMATS.includes(format)) {
      throw new UserError(
        `--format ${JSON.stringify(format ?? "")}: expected csv, ndjson or parquet`,
      );
    }
    // Acknowledged API events still in the metering WAL belong to the month: stored first.
    const wh = await openCompactedWarehouse({
      store: ctx.common.store,
      engine: ctx.common.engine,
      log: (line) => console.error(line),
    });
    try {
      const n = await wh.exportMonth(month, format as ExportFormat, output);
      console.log(`exported ${n} events of ${month} to ${output}`);
    } finally {
      await wh.close();
    }
  },
};
