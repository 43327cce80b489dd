/**
 * The smallest and largest id in the store, which the fast write paths
 * compare with the id ranges of what they write (disjoint ranges: every id
 * is new).
 *
 * @module
 */
import type { SqlEngine } from "./engine.ts";
import { sqlList } from "./sql.ts";
import { listMonths, monthFiles } from "./store.ts";

/**
 * The store's `[min(id), max(id)]`, or null when it holds no events.
 *
 * @example
 * ```ts ignore
 * const range = await storeIdRange(engine, "data/events"); // ["scale-1-000000", "scale-1-999999"]
 * ```
 */
export async function storeIdRange(
  engine: SqlEngine,
  store: string,
): Promise<[string, string] | null> {
  const months = await listMonths(store);
  const files = (await Promise.all(months.map((m) => monthFiles(store, m)))).flat();
  if (files.length === 0) return null;
  await engine.load(
    "wh_store_range",
    `SELECT min(id) AS lo, max(id) AS hi FROM read_parquet(${sqlList(files)})`,
    { materialize: true },
  );
  try {
    const [r] = await engine.query(`SELECT lo, hi FROM wh_store_range`);
    return r && r.lo !== null ? [String(r.lo), String(r.hi)] : null;
  } finally {
    await engine.unload("wh_store_range");
  }
}
