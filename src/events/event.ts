/**
 * The one usage-event schema every part of meterbook shares.
 *
 * @module
 */

/**
 * One metered usage event. `id` is the idempotency key: an event whose id is
 * already stored is a duplicate and is never stored twice.
 *
 * `ts` is a UTC instant in ISO 8601 with a `Z` suffix, millisecond precision
 * (`2026-10-03T14:05:09.123Z`). `compute_units` is finite and >= 0; the store
 * keeps it exactly to 6 decimal places (micro-units).
 *
 * `tenant_id` is `null` only for events of type `unauthenticated` (requests
 * refused for a missing or unknown API key).
 */
export interface UsageEvent {
  id: string;
  ts: string;
  tenant_id: string | null;
  event_type: string;
  compute_units: number;
  endpoint?: string | null;
  method?: string | null;
  status_code?: number | null;
  duration_ms?: number | null;
  n_particles?: number | null;
  n_steps?: number | null;
  compute_seconds?: number | null;
  /** `"ok"` or `"failed"` for instrumented jobs; absent otherwise. */
  status?: string | null;
}

/** The stored columns, in order, with their DuckDB/Parquet types. */
export const EVENT_COLUMNS = [
  ["id", "VARCHAR"],
  ["ts", "TIMESTAMP"],
  ["tenant_id", "VARCHAR"],
  ["event_type", "VARCHAR"],
  ["compute_units", "DECIMAL(18,6)"],
  ["endpoint", "VARCHAR"],
  ["method", "VARCHAR"],
  ["status_code", "INTEGER"],
  ["duration_ms", "DOUBLE"],
  ["n_particles", "INTEGER"],
  ["n_steps", "INTEGER"],
  ["compute_seconds", "DOUBLE"],
  ["status", "VARCHAR"],
] as const;

/** A stored column name. */
export type EventColumn = (typeof EVENT_COLUMNS)[number][0];

/** Event type of refused requests; the only type whose `tenant_id` may be null. */
export const UNAUTHENTICATED = "unauthenticated";

/**
 * Tenant ids: 1 to 64 letters, digits, `_`, `.` or `-`, starting with a letter
 * or digit, never containing `..` (so `.` and `..` are never tenant ids, and a
 * tenant id is never a path, though reports name files after it).
 */
export const TENANT_ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The character rule of {@linkcode TENANT_ID_PATTERN} as a DuckDB (RE2)
 * regular expression; RE2 has no lookahead, so `..` is checked apart: use
 * {@linkcode tenantIdSql} for the whole rule.
 */
export const TENANT_ID_SQL_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

/**
 * The whole tenant-id rule as a SQL boolean over a column or lambda variable.
 *
 * @example
 * ```ts
 * import { tenantIdSql } from "./event.ts";
 * tenantIdSql("tenant_id"); // "(regexp_full_match(tenant_id, '^...$') AND NOT contains(tenant_id, '..'))"
 * ```
 */
export function tenantIdSql(col: string): string {
  return `(regexp_full_match(${col}, '${TENANT_ID_SQL_PATTERN}') AND NOT contains(${col}, '..'))`;
}

/** Event types: a lowercase name such as `api_call`, `enkf_run`, `report_gen`. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** The same rule as {@linkcode EVENT_TYPE_PATTERN}, as a DuckDB regular expression. */
export const EVENT_TYPE_SQL_PATTERN = "^[a-z][a-z0-9_]{0,63}$";

/** The event types of the seed document. */
export const KNOWN_EVENT_TYPES = ["api_call", "enkf_run", "report_gen"] as const;

/**
 * Checks one event held in memory (the middleware and job wrappers use it;
 * bulk imports validate in SQL with the same rules). Returns the reason it is
 * invalid, or `null` when it is valid.
 *
 * @example
 * ```ts
 * import { eventProblem } from "./event.ts";
 * eventProblem({ id: "e1", ts: "2026-10-01T00:00:00.000Z", tenant_id: "dept_a",
 *   event_type: "api_call", compute_units: -1 });
 * // => 'compute_units: must be a finite number >= 0, got -1'
 * ```
 */
export function eventProblem(event: UsageEvent): string | null {
  if (typeof event.id !== "string" || event.id.length === 0) return "id: missing";
  if (typeof event.ts !== "string" || Number.isNaN(Date.parse(event.ts))) {
    return `ts: not a timestamp: ${JSON.stringify(event.ts)}`;
  }
  if (typeof event.event_type !== "string" || !EVENT_TYPE_PATTERN.test(event.event_type)) {
    return `event_type: must be a lowercase name like "api_call", got ${
      JSON.stringify(event.event_type)
    }`;
  }
  if (event.tenant_id === null) {
    if (event.event_type !== UNAUTHENTICATED) return "tenant_id: missing";
  } else if (typeof event.tenant_id !== "string" || !TENANT_ID_PATTERN.test(event.tenant_id)) {
    return `tenant_id: must be 1-64 of letters, digits, "_", "." or "-" starting with a letter or digit, got ${
      JSON.stringify(event.tenant_id)
    }`;
  }
  const cu = event.compute_units;
  if (typeof cu !== "number" || !Number.isFinite(cu) || cu < 0) {
    return `compute_units: must be a finite number >= 0, got ${String(cu)}`;
  }
  return null;
}
