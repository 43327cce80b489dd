import assert from "node:assert/strict";
import { join } from "node:path";
import type { UsageEvent } from "../events/event.ts";
import { openWarehouse } from "./warehouse.ts";

function events(month: string, n: number, tenant = "dept_a"): UsageEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${month}-${tenant}-${i}`,
    ts: `${month}-${String(1 + (i % 28)).padStart(2, "0")}T${
      String(i % 24).padStart(2, "0")
    }:00:00.000Z`,
    tenant_id: tenant,
    event_type: i % 3 === 0 ? "enkf_run" : "api_call",
    compute_units: (i % 7) * 0.125 + 0.000001,
  }));
}

Deno.test("reading one month reads only that month's files (partition pruning)", async () => {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  try {
    await wh.append([...events("2026-09", 10), ...events("2026-10", 20)]);
    assert.deepEqual(await wh.months(), ["2026-09", "2026-10"]);
    // corrupt September: October must still read, a whole-store read must fail
    await Deno.writeTextFile(join(store, "month=2026-09", "events.parquet"), "not parquet");
    const october = await wh.usage("2026-10");
    assert.equal(october.reduce((n, r) => n + r.events, 0), 20);
    assert.equal((await wh.dailyUsage({ from: "2026-10", to: "2026-10" })).length > 0, true);
    await assert.rejects(() => wh.usageByMonth());
  } finally {
    await wh.close();
  }
});

Deno.test("the store's bytes do not depend on batching or order", async () => {
  const all = [
    ...events("2026-10", 30),
    ...events("2026-10", 30, "dept_b"),
    ...events("2026-11", 5),
  ];
  const a = await Deno.makeTempDir();
  const b = await Deno.makeTempDir();
  const wa = await openWarehouse({ store: a });
  const wb = await openWarehouse({ store: b });
  try {
    await wa.append(all);
    const reversed = [...all].reverse();
    await wb.append(reversed.slice(0, 17));
    await wb.append(reversed.slice(17, 40));
    await wb.append(reversed.slice(40));
    await wb.append(all.slice(0, 5)); // duplicates change nothing
    for (const month of ["2026-10", "2026-11"]) {
      const file = join(`month=${month}`, "events.parquet");
      assert.deepEqual(await Deno.readFile(join(a, file)), await Deno.readFile(join(b, file)));
    }
    // rows are sorted by (ts, id)
    const rows = await wa.query("SELECT id, ts FROM events WHERE month = '2026-10'");
    const sorted = [...rows].sort((x, y) =>
      String(x.ts).localeCompare(String(y.ts)) || String(x.id).localeCompare(String(y.id))
    );
    assert.deepEqual(rows, sorted);
  } finally {
    await wa.close();
    await wb.close();
  }
});

Deno.test("export round trip: csv, ndjson and parquet re-import to identical month files", async () => {
  const store = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  const month = "2026-10";
  try {
    await wh.append([
      ...events(month, 25),
      {
        id: "x1",
        ts: "2026-10-05T10:00:00.123Z",
        tenant_id: null,
        event_type: "unauthenticated",
        compute_units: 0,
        endpoint: '/v1/"quoted", with comma',
        method: "POST",
        status_code: 401,
        duration_ms: 1.25,
      },
      {
        id: "x2",
        ts: "2026-10-06T10:00:00Z",
        tenant_id: "dept.c-1",
        event_type: "enkf_run",
        compute_units: 123456.654321,
        n_particles: 100,
        n_steps: 20,
        compute_seconds: 9.5,
        status: "ok",
        endpoint: "",
      },
    ]);
    const original = await Deno.readFile(join(store, `month=${month}`, "events.parquet"));
    for (const format of ["csv", "ndjson", "parquet"] as const) {
      const file = join(out, `events.${format}`);
      assert.equal(await wh.exportMonth(month, format, file), 27);
      const copy = await Deno.makeTempDir();
      const other = await openWarehouse({ store: copy });
      const stats = await other.importFiles([file]);
      assert.deepEqual(stats, { read: 27, stored: 27, duplicates: 0, quarantined: 0 }, format);
      assert.deepEqual(
        await Deno.readFile(join(copy, `month=${month}`, "events.parquet")),
        original,
        `${format} round trip changes the stored bytes`,
      );
      await other.close();
    }
    const ndjson = (await Deno.readTextFile(join(out, "events.ndjson"))).split("\n");
    assert.equal(
      ndjson.find((l) => l.includes('"x2"')),
      '{"id":"x2","ts":"2026-10-06T10:00:00.000Z","tenant_id":"dept.c-1","event_type":"enkf_run","compute_units":123456.654321,"endpoint":"","n_particles":100,"n_steps":20,"compute_seconds":9.5,"status":"ok"}',
    );
    // an empty month exports an empty file
    assert.equal(await wh.exportMonth("2020-01", "csv", join(out, "empty.csv")), 0);
  } finally {
    await wh.close();
  }
});

Deno.test("bytes stay batching-independent across Parquet row groups (250k rows)", async () => {
  const rows = (where: string) =>
    `SELECT 'r' || lpad(i::VARCHAR, 7, '0') AS id,
       TIMESTAMP '2026-10-01' + INTERVAL (i * 7 % 2592000) SECOND AS ts,
       't' || (i % 17) AS tenant_id, 'api_call' AS event_type,
       ((i % 1000) / 1000)::DECIMAL(18,6) AS compute_units
     FROM range(250000) t(i) WHERE ${where}`;
  const a = await Deno.makeTempDir();
  const b = await Deno.makeTempDir();
  const wa = await openWarehouse({ store: a });
  const wb = await openWarehouse({ store: b });
  try {
    await wa.appendQuery(rows("true"));
    await wb.appendQuery(rows("i % 3 = 1"));
    await wb.appendQuery(rows("i % 3 <> 1"));
    const second = await wb.appendQuery(rows("i < 1000"));
    assert.equal(second.duplicates, 1000);
    const file = join("month=2026-10", "events.parquet");
    assert.deepEqual(await Deno.readFile(join(a, file)), await Deno.readFile(join(b, file)));
    assert.equal((await wb.dataQuality("2026-10")).duplicates, 1000);
  } finally {
    await wa.close();
    await wb.close();
  }
});
