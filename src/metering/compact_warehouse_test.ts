import assert from "node:assert/strict";
import { openWarehouse } from "../warehouse/mod.ts";
import { compactWal, openCompactedWarehouse } from "./compact.ts";
import { WalStore } from "./wal.ts";
import type { UsageEvent } from "../events/mod.ts";

const ev = (i: number, ts: string, tenant = "dept_a"): UsageEvent => ({
  id: `0199a000-0000-7000-8000-${String(i).padStart(12, "0")}`,
  ts,
  tenant_id: tenant,
  event_type: "api_call",
  compute_units: 0.001,
  endpoint: "/v1/whoami",
  method: "GET",
  status_code: 200,
  duration_ms: 0.25,
});

Deno.test("compact + warehouse: WAL into month partitions; re-compaction stores nothing twice", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch([
      ev(1, "2026-10-01T00:00:00.000Z"),
      ev(2, "2026-10-31T23:59:59.999Z", "dept_b"),
      ev(3, "2026-11-01T00:00:00.000Z"),
    ]);
    await wal.writeBatch([ev(2, "2026-10-31T23:59:59.999Z", "dept_b")]); // a retried batch
    const live = new WalStore(store); // a second writer still running
    await live.writeBatch([ev(4, "2026-10-15T00:00:00.000Z")]);
    await wal.close();
    const wh = await openWarehouse({ store });
    try {
      const first = await compactWal(store, wh);
      assert.equal(first.read, 5);
      assert.equal(first.stored, 4);
      assert.equal(first.deleted, 1);
      assert.equal(first.live, 1);
      await live.close();
      const again = await compactWal(store, wh); // reads only what is new: nothing
      assert.equal(again.stored, 0);
      assert.equal(again.deleted, 1);
      assert.deepEqual(await wh.months(), ["2026-10", "2026-11"]);
      const oct = await wh.usage("2026-10");
      assert.deepEqual(
        oct.map((r) => [r.tenant_id, r.event_type, r.events, r.compute_units]),
        [["dept_a", "api_call", 2, "0.002000"], ["dept_b", "api_call", 1, "0.001000"]],
      );
      const third = await compactWal(store, wh);
      assert.deepEqual([third.segments, third.stored], [0, 0]);
      const total = await wh.query("SELECT count(*) AS n, count(DISTINCT id) AS d FROM events");
      assert.equal(Number(total[0].n), 4);
      assert.equal(Number(total[0].d), 4);
    } finally {
      await wh.close();
    }
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("openCompactedWarehouse: readers see the events still in the WAL", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch([ev(1, "2026-10-03T10:00:00.000Z"), ev(2, "2026-10-04T10:00:00.000Z")]);
    await wal.close();
    // and an empty segment a server killed while creating it left, 11 minutes ago
    const abandoned = `${store}/wal/0199a000-0000-7000-8000-000000000099.ndjson.tmp`;
    await Deno.writeFile(abandoned, new Uint8Array());
    const old = new Date(Date.now() - 11 * 60 * 1000);
    await Deno.utime(abandoned, old, old);
    const lines: string[] = [];
    const wh = await openCompactedWarehouse({ store, log: (line) => lines.push(line) });
    try {
      const rows = await wh.usage("2026-10");
      assert.equal(rows[0].events, 2);
      assert.deepEqual(lines, [
        "compact: removed 0199a000-0000-7000-8000-000000000099.ndjson.tmp, an empty segment a stopped server created and never used",
        "compacted the metering WAL: 2 event(s) stored",
      ]);
    } finally {
      await wh.close();
    }
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
