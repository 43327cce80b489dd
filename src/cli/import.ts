/**
 * `deno task import FILE...`: imports NDJSON/JSONL, CSV and Parquet files
 * into the event store, validated in bulk; or `--from-postgres URL --month M`
 * copies a month of events from PostgreSQL. Prints read / stored /
 * duplicates / quarantined. Exits non-zero only when an input cannot be read
 * at all (missing file, unknown format).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { ImportStats } from "../warehouse/mod.ts";
import { openWarehouse } from "../warehouse/mod.ts";
import type { Command } from "./command.ts";
import { log } from "./log.ts";

/** The summary lines the command prints. */
export function formatImportStats(stats: ImportStats): string {
  const lines = [
    `read: ${stats.read}`,
    `stored: ${stats.stored}`,
    `duplicates: ${stats.duplicates}`,
    `quarantined: ${stats.quarantined}`,
  ];
  if (stats.rounded) {
    lines.push(`rounded: ${stats.rounded} (compute_units with more than 6 decimals, stored to 6)`);
  }
  for (
    const file of stats.quarantineFiles ?? (stats.quarantineFile ? [stats.quarantineFile] : [])
  ) {
    lines.push(`quarantine file: ${file}`);
  }
  return lines.join("\n");
}

/** The `import` command. */
export const command: Command = {
  name: "import",
  summary: "import NDJSON/JSONL, CSV or Parquet event files (or a PostgreSQL month) into the store",
  usage: "FILE... | --from-postgres URL --month YYYY-MM",
  description: `
Rows are validated in bulk (SQL over the whole file). A row that fails (missing field,
unparsable timestamp, negative or non-finite compute units, bad event-type or tenant-id
format) goes to <store>/quarantine/ with its reason. A row whose id is already stored, or
repeats within the input, is a duplicate and is not stored twice. Importing the same file
again stores nothing new.`,
  positionals: true,
  options: {
    "from-postgres": {
      type: "string",
      valueName: "URL",
      description: "read the --month's events from PostgreSQL (postgres://...) instead of files",
    },
  },
  async run(ctx) {
    const url = ctx.values["from-postgres"] as string | undefined;
    if (url === undefined && ctx.positionals.length === 0) {
      throw new UserError(
        "give one or more files to import, or --from-postgres URL --month YYYY-MM",
      );
    }
    if (url !== undefined && ctx.positionals.length > 0) {
      throw new UserError("give either files or --from-postgres, not both");
    }
    if (url !== undefined && ctx.common.month === undefined) {
      throw new UserError("--from-postgres needs --month YYYY-MM");
    }
    const wh = await openWarehouse({
      store: ctx.common.store,
      engine: ctx.common.engine,
      clock: () => ctx.now,
      log,
    });
    try {
      let stats: ImportStats;
      if (url !== undefined) {
        const { readPostgresMonth } = await import("../metering/postgres_source.ts");
        const events = await readPostgresMonth(url, ctx.common.month!);
        log(`read ${events.length} events of ${ctx.common.month} from PostgreSQL`);
        stats = await wh.append(events);
      } else {
        stats = await wh.importFiles(ctx.positionals);
      }
      console.log(formatImportStats(stats));
    } finally {
      await wh.close();
    }
  },
};
