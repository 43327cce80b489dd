/**
 * The canonical export of a set of events: NDJSON sorted by id, every stored
 * column in {@linkcode EVENT_COLUMNS} order (absent ones as `null`), fixed
 * number formatting (compute_units and compute_seconds with 6 decimals,
 * duration_ms with 3), `ts` as ISO 8601 UTC with milliseconds. Its sha256 is
 * the fingerprint the determinism tests pin.
 *
 * @module
 */
import { EVENT_COLUMNS, type UsageEvent } from "../events/mod.ts";
import { sha256Hex } from "../hash.ts";

const FIXED: Record<string, number> = { compute_units: 6, compute_seconds: 6, duration_ms: 3 };
const INTEGER = new Set(["status_code", "n_particles", "n_steps"]);

function canonicalTs(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  // DuckDB prints TIMESTAMP as "2026-10-03 14:05:09.123"; events carry ISO with Z.
  const iso = /Z$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(" ", "T")}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`canonical export: unparsable ts ${JSON.stringify(text)}`);
  return new Date(ms).toISOString();
}

function canonicalValue(column: string, value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (column === "ts") return JSON.stringify(canonicalTs(value));
  const digits = FIXED[column];
  if (digits !== undefined) return Number(value).toFixed(digits);
  if (INTEGER.has(column)) return String(Number(value));
  return JSON.stringify(String(value));
}

/**
 * One event (or a row read back from the store) as one canonical JSON line,
 * without the newline.
 *
 * @example
 * ```ts
 * import { canonicalLine } from "./canonical.ts";
 * canonicalLine({ id: "e1", ts: "2026-10-01T00:00:00Z", tenant_id: "dept_a",
 *   event_type: "api_call", compute_units: 0.5 });
 * // '{"id":"e1","ts":"2026-10-01T00:00:00.000Z","tenant_id":"dept_a",
 * //   "event_type":"api_call","compute_units":0.500000,"endpoint":null,...}'
 * ```
 */
export function canonicalLine(event: UsageEvent | Record<string, unknown>): string {
  const row = event as Record<string, unknown>;
  const parts = EVENT_COLUMNS.map(([column]) =>
    `${JSON.stringify(column)}:${canonicalValue(column, row[column])}`
  );
  return `{${parts.join(",")}}`;
}

/**
 * The canonical NDJSON export of events: sorted by id (code-unit order), one
 * line each, every line ending in a newline.
 *
 * @example
 * ```ts
 * import { canonicalNdjson } from "./canonical.ts";
 * const text = canonicalNdjson([]); // ""
 * ```
 */
export function canonicalNdjson(events: Iterable<UsageEvent | Record<string, unknown>>): string {
  const rows = [...events] as Record<string, unknown>[];
  rows.sort((a, b) => {
    const x = String(a.id);
    const y = String(b.id);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  let out = "";
  for (const row of rows) out += canonicalLine(row) + "\n";
  return out;
}

/**
 * The sha256 (lowercase hex) of the canonical NDJSON export of events.
 *
 * @example
 * ```ts
 * import { eventsSha256 } from "./canonical.ts";
 * const hash = await eventsSha256([]);
 * // "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
 * ```
 */
export async function eventsSha256(
  events: Iterable<UsageEvent | Record<string, unknown>>,
): Promise<string> {
  return await sha256Hex(canonicalNdjson(events));
}
