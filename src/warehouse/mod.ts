/**
 * The embedded event store: usage events as Parquet files partitioned by
 * month (`<store>/month=YYYY-MM/events.parquet`), validated bulk imports
 * with a quarantine, exports, and rollups, on native DuckDB or DuckDB-Wasm.
 *
 * @example
 * ```ts
 * import { openWarehouse } from "./mod.ts";
 * const wh = await openWarehouse({ store: "data/events" });
 * console.log(await wh.usageByMonth());
 * await wh.close();
 * ```
 *
 * @module
 */
export {
  type DailyUsageRow,
  type DataQuality,
  type ExportFormat,
  openWarehouse,
  queryIngestKey,
  type UsageRow,
  type Warehouse,
  type WarehouseOptions,
} from "./warehouse.ts";
export type { Engine } from "./engine.ts";
export type { ImportStats } from "./ingest.ts";
export type { MonthChunks } from "./append_chunks.ts";
export type { EventChunk } from "./event_chunk.ts";
export { localMonthRange } from "./timezones.ts";
