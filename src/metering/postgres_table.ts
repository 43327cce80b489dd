/**
 * The PostgreSQL table of usage events shared by the PostgreSQL sink and
 * source: its DDL, and the conversions between events and rows.
 *
 * @module
 */
import type { UsageEvent } from "../events/mod.ts";
import { UserError } from "../errors.ts";

/** The default table name. */
export const DEFAULT_PG_TABLE = "usage_events";

/** The table's columns, in the order of the event schema. */
export const PG_COLUMNS = [
  "id",
  "ts",
  "tenant_id",
  "event_type",
  "compute_units",
  "endpoint",
  "method",
  "status_code",
  "duration_ms",
  "n_particles",
  "n_steps",
  "compute_seconds",
  "status",
] as const;

/** A table name: letters, digits and `_`, optionally `schema.table`. */
export function checkTableName(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(table)) {
    throw new UserError(
      `PostgreSQL table name ${
        JSON.stringify(table)
      }: use letters, digits and "_" (optionally schema.table)`,
    );
  }
  return table;
}

/** `CREATE TABLE IF NOT EXISTS` for the events table (a TimescaleDB hypertable works too). */
export function createTableSql(table: string): string {
  checkTableName(table);
  const index = table.replace(".", "_");
  return `CREATE TABLE IF NOT EXISTS ${table} (
  id text PRIMARY KEY,
  ts timestamptz NOT NULL,
  tenant_id text,
  event_type text NOT NULL,
  compute_units numeric(18,6) NOT NULL,
  endpoint text,
  method text,
  status_code integer,
  duration_ms double precision,
  n_particles integer,
  n_steps integer,
  compute_seconds double precision,
  status text
);
CREATE INDEX IF NOT EXISTS ${index}_ts_idx ON ${table} (ts);`;
}

/** One event as a row (absent optional fields become NULL). */
export function eventToRow(event: UsageEvent): Record<string, string | number | null> {
  return {
    id: event.id,
    ts: event.ts,
    tenant_id: event.tenant_id,
    event_type: event.event_type,
    compute_units: event.compute_units,
    endpoint: event.endpoint ?? null,
    method: event.method ?? null,
    status_code: event.status_code ?? null,
    duration_ms: event.duration_ms ?? null,
    n_particles: event.n_particles ?? null,
    n_steps: event.n_steps ?? null,
    compute_seconds: event.compute_seconds ?? null,
    status: event.status ?? null,
  };
}

/** One row back to an event (`ts` as ISO 8601 UTC with milliseconds; NULL optional fields omitted). */
export function rowToEvent(row: Record<string, unknown>): UsageEvent {
  const ts = row.ts instanceof Date ? row.ts : new Date(String(row.ts));
  const event: UsageEvent = {
    id: String(row.id),
    ts: ts.toISOString(),
    tenant_id: row.tenant_id === null ? null : String(row.tenant_id),
    event_type: String(row.event_type),
    compute_units: Number(row.compute_units),
  };
  for (const key of PG_COLUMNS.slice(5)) {
    const value = row[key];
    if (value === null || value === undefined) continue;
    (event as unknown as Record<string, unknown>)[key] = key === "endpoint" || key === "method" ||
        key === "status"
      ? String(value)
      : Number(value);
  }
  return event;
}

/** A URL with its password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
