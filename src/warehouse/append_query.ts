/**
 * The streaming path of `appendQuery`: when the rows of a batch of SELECTs
 * are provably valid, provably new and each SELECT lies inside one month,
 * each month is written straight from its SELECT(s) (no temp table, no
 * dedupe, no anti-join), still sorted by (ts, id) and still atomic.
 *
 * The proof comes in two parts. A pre-pass per SELECT reads only id,
 * tenant_id and event_type: the row count, the distinct count of `hash(id)`
 * (all hashes distinct proves the ids distinct), the id range, and the
 * validation of ids, tenant ids and event types of the materializing path.
 * Ids are distinct across SELECTs when their [min, max] ranges do not
 * overlap, and new to the store when no range overlaps the store's id range.
 * The write itself then checks each row's ts (inside the SELECT's month) and
 * compute_units (present, >= 0), raising an error that aborts every pending
 * month file. Only when every month file is written are they all put in
 * place. Whenever the proof fails, {@linkcode streamParts} returns null
 * having changed nothing, and the caller takes the materializing path (which
 * names each bad row and dedupes exactly).
 *
 * @module
 */
import { EVENT_TYPE_SQL_PATTERN, tenantIdSql, UNAUTHENTICATED } from "../events/event.ts";
import type { SqlEngine } from "./engine.ts";
import type { ImportStats, IngestOptions } from "./ingest.ts";
import { prepareMonth } from "./ingest.ts";
import { appendIngestLog, ingestEntry } from "./meta.ts";
import { storeIdRange } from "./store_range.ts";
import { EVENT_COLUMN_LIST, sqlString } from "./sql.ts";
import { nextMonth, type PendingFile } from "./store.ts";

interface PartStats {
  sql: string;
  rows: number;
  month: string;
  minId: string;
  maxId: string;
}

/** Byte order and UTF-16 order agree on ASCII: only such id bounds are compared in JS. */
const ASCII = /^[\x20-\x7e]*$/;

/** The error text the write's row checks raise (the stream is abandoned, nothing changed). */
const NOT_STREAMABLE = "meterbook: row not streamable";

/** The pre-pass over a typed SELECT (id, tenant_id, event_type only), or null when not provable. */
async function partStats(engine: SqlEngine, sql: string): Promise<PartStats | null | "empty"> {
  const typeRe = sqlString(EVENT_TYPE_SQL_PATTERN);
  const [s] = await engine.query(
    `SELECT rows::BIGINT AS rows, bad::BIGINT AS bad, ids::BIGINT AS ids, min_id, max_id,
       (len(list_filter(tenants, x -> NOT ${tenantIdSql("x")}))
         + len(list_filter(types, x -> NOT regexp_full_match(x, ${typeRe}))))::INTEGER AS bad_keys
     FROM (SELECT count(*) AS rows,
       count(*) FILTER (WHERE id IS NULL OR id = '' OR event_type IS NULL
         OR (tenant_id IS NULL AND event_type <> '${UNAUTHENTICATED}')) AS bad,
       count(DISTINCT hash(id)) AS ids, min(id) AS min_id, max(id) AS max_id,
       list(DISTINCT tenant_id) FILTER (WHERE tenant_id IS NOT NULL) AS tenants,
       list(DISTINCT event_type) FILTER (WHERE event_type IS NOT NULL) AS types
     FROM (SELECT id, tenant_id, event_type FROM (${sql})))`,
  );
  if (s.rows === "0") return "empty";
  const minId = String(s.min_id);
  const maxId = String(s.max_id);
  if (
    s.bad !== "0" || Number(s.bad_keys) !== 0 || s.ids !== s.rows || !ASCII.test(minId) ||
    !ASCII.test(maxId)
  ) {
    return null;
  }
  // the month of its first row; the write checks that every row is in it
  const [first] = await engine.query(
    `SELECT strftime(ts, '%Y-%m') AS month FROM (${sql}) WHERE ts IS NOT NULL LIMIT 1`,
  );
  if (!first || typeof first.month !== "string") return null;
  return { sql, rows: Number(s.rows), month: first.month, minId, maxId };
}

/** The rows of a part, each checked for the things the pre-pass did not read. */
function checkedPart(sql: string, month: string): string {
  const from = `TIMESTAMP '${month}-01 00:00:00'`;
  const to = `TIMESTAMP '${nextMonth(month)}-01 00:00:00'`;
  return `SELECT * REPLACE (CASE WHEN ts IS NULL OR ts < ${from} OR ts >= ${to}
      OR compute_units IS NULL OR compute_units < 0 THEN error('${NOT_STREAMABLE}') ELSE ts END AS ts)
    FROM (${sql})`;
}

/**
 * Stores typed SELECTs (each yielding exactly the stored columns, typed)
 * without materializing them, when that is provably the same as the
 * materializing path; otherwise returns null having written nothing.
 *
 * @example
 * ```ts ignore
 * const stats = await streamParts(engine, monthSelects, { store, source: "query", key });
 * if (stats === null) {
 *   // materialize, validate row by row, dedupe
 * }
 * ```
 */
export async function streamParts(
  engine: SqlEngine,
  parts: readonly string[],
  options: IngestOptions,
): Promise<ImportStats | null> {
  const stats: PartStats[] = [];
  for (const sql of parts) {
    const s = await partStats(engine, sql);
    if (s === null) return null;
    if (s !== "empty") stats.push(s);
  }
  // ids distinct across parts: their [min, max] ranges are disjoint
  const ranges = stats.map((s) => [s.minId, s.maxId] as const);
  const stored = await storeIdRange(engine, options.store);
  if (stored) {
    if (!ASCII.test(stored[0]) || !ASCII.test(stored[1])) return null;
    ranges.push(stored);
  }
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < ranges.length; i++) if (ranges[i][0] <= ranges[i - 1][1]) return null;

  const byMonth = new Map<string, PartStats[]>();
  for (const s of stats) byMonth.set(s.month, [...(byMonth.get(s.month) ?? []), s]);
  const entry = ingestEntry(options);
  const pending: PendingFile[] = [];
  try {
    for (const month of [...byMonth.keys()].sort()) {
      const group = byMonth.get(month)!;
      const fresh = group.map((s) =>
        `SELECT ${EVENT_COLUMN_LIST} FROM (${checkedPart(s.sql, month)})`
      ).join(" UNION ALL ");
      pending.push(await prepareMonth(engine, options.store, month, fresh));
      const rows = group.reduce((sum, s) => sum + s.rows, 0);
      entry.months[month] = { stored: rows, duplicates: 0, quarantined: 0 };
      entry.read += rows;
      entry.stored += rows;
    }
  } catch (error) {
    for (const file of pending) await file.abort();
    if (String((error as Error)?.message ?? error).includes(NOT_STREAMABLE)) return null;
    throw error;
  }
  for (const file of pending) await file.commit();
  await appendIngestLog(options.store, entry);
  return { read: entry.read, stored: entry.stored, duplicates: 0, quarantined: 0 };
}
