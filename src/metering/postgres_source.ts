/**
 * Reads a month of usage events back from the PostgreSQL table the
 * PostgreSQL sink writes: what `deno task import --from-postgres URL --month M`
 * brings into the event store.
 *
 * @module
 */
import postgres from "postgres";
import type { UsageEvent } from "../events/mod.ts";
import { isMonth, monthEndMs, monthStartMs } from "../events/month.ts";
import { UserError } from "../errors.ts";
import { checkTableName, DEFAULT_PG_TABLE, redactUrl, rowToEvent } from "./postgres_table.ts";

/**
 * The events of one UTC calendar month (`YYYY-MM`), ordered by ts then id.
 *
 * @example
 * ```ts
 * import { readPostgresMonth } from "./postgres_source.ts";
 * const events = await readPostgresMonth("postgres://meterbook:meterbook@127.0.0.1:55432/meterbook", "2026-10");
 * ```
 */
export async function readPostgresMonth(
  url: string,
  month: string,
  options: { table?: string } = {},
): Promise<UsageEvent[]> {
  if (!isMonth(month)) {
    throw new UserError(`--month ${JSON.stringify(month)}: expected a month like 2026-10`);
  }
  const table = checkTableName(options.table ?? DEFAULT_PG_TABLE);
  const from = new Date(monthStartMs(month));
  const to = new Date(monthEndMs(month));
  let sql: postgres.Sql;
  try {
    sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  } catch (error) {
    throw new UserError(
      `--from-postgres ${redactUrl(url)}: not a PostgreSQL URL (${
        (error as Error).message
      }); expected postgres://user:password@host:port/database`,
    );
  }
  try {
    const rows = await sql`SELECT * FROM ${sql(table)}
      WHERE ts >= ${from} AND ts < ${to} ORDER BY ts, id`;
    return rows.map((row) => rowToEvent(row));
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === "42P01") {
      throw new UserError(
        `--from-postgres ${
          redactUrl(url)
        }: table "${table}" does not exist; the metering PostgreSQL sink creates it on its first write`,
      );
    }
    if (e.code === "ECONNREFUSED" || e.code === "CONNECT_TIMEOUT" || e.code === "28P01") {
      throw new UserError(
        `--from-postgres ${
          redactUrl(url)
        }: cannot connect (${e.code}: ${e.message}); is the server running and the URL right?`,
      );
    }
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
