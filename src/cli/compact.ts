/**
 * `deno task compact`: moves the metering write-ahead log (`<store>/wal/`)
 * into the month partitions, deduplicated by id.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { log } from "./log.ts";

/** The `compact` command. */
export const command: Command = {
  name: "compact",
  summary: "move the metering write-ahead log into the month partitions (dedup by id)",
  description: `
Reads every segment of <store>/wal/, appends its events to the event store (events already stored
are skipped by id), and deletes the segments no server is writing any more. Segments still being
written are read up to their last complete line and remembered, so the next run reads on from
there. Safe to run at any time, while servers run, and as often as you like.`,
  async run({ common }) {
    const { compactWal } = await import("../metering/compact.ts");
    const { openWarehouse } = await import("../warehouse/mod.ts");
    const wh = await openWarehouse({ store: common.store, engine: common.engine, log });
    try {
      const stats = await compactWal(common.store, wh, { log });
      console.log(
        `compacted ${common.store}/wal: ${stats.read} event(s) read, ${stats.stored} stored, ${stats.duplicates} duplicate(s), ${stats.quarantined} quarantined; ${stats.deleted} segment(s) deleted, ${stats.live} still being written${
          stats.abandoned ? `, ${stats.abandoned} empty abandoned segment(s) removed` : ""
        }`,
      );
    } finally {
      await wh.close();
    }
  },
};
