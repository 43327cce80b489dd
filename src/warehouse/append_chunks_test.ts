import assert from "node:assert/strict";
import { join } from "node:path";
import type { EventChunk, MonthChunks } from "./mod.ts";
import { openWarehouse, type Warehouse } from "./mod.ts";
import { readIngestLog } from "./meta.ts";

const enc = new TextEncoder();

/** A month of `n` events with ids `<prefix>000000..`, one a minute from the month's start. */
function month(name: string, prefix: string, n: number, chunkRows = 64): MonthChunks {
  const start = Date.parse(`${name}-01T00:00:00Z`);
  return {
    month: name,
    rows: n,
    *chunks(): Iterable<EventChunk> {
      for (let from = 0; from < n; from += chunkRows) {
        const rows = Math.min(chunkRows, n - from);
        const ids = Array.from(
          { length: rows },
          (_, k) => `${prefix}${String(from + k).padStart(6, "0")}`,
        );
        const idBytes = enc.encode(ids.join(""));
        yield {
          rows,
          idBytes,
          idEnds: Uint32Array.from(ids, (_, k) => (k + 1) * ids[0].length),
          tsMs: Float64Array.from(ids, (_, k) => start + (from + k) * 60_000),
          tenants: ["dept_a", "dept_b"],
          tenantIndex: Uint32Array.from(ids, (_, k) => (from + k) % 2),
          eventTypes: ["api_call"],
          eventTypeIndex: new Uint32Array(rows),
          computeMicros: Float64Array.from(ids, (_, k) => 1000 * (from + k)),
        };
      }
    },
  };
}

async function withStore(
  fn: (wh: Warehouse, store: string) => Promise<void>,
  engine: "native" | "wasm" = "native",
) {
  const store = await Deno.makeTempDir({ prefix: "meterbook-chunks-" });
  const wh = await openWarehouse({ store, engine, clock: () => new Date("2026-12-01T00:00:00Z") });
  try {
    await fn(wh, store);
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
  }
}

/** Every file under the store (temporary ones included), relative, sorted. */
async function files(store: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(join(dir, e.name), `${rel}${e.name}/`);
      else if (!rel.startsWith("_meta/")) out.push(rel + e.name);
    }
  };
  await walk(store, "");
  return out.sort();
}

for (const engine of ["native", "wasm"] as const) {
  Deno.test(`appendChunks (${engine}): new months become one sorted file each, counted and logged`, async () => {
    await withStore(async (wh, store) => {
      const stats = await wh.appendChunks(
        [month("2026-11", "b", 100), month("2026-10", "a", 150)],
        { key: "k1" },
      );
      assert.deepEqual(stats, { read: 250, stored: 250, duplicates: 0, quarantined: 0 });
      assert.deepEqual(await files(store), [
        "month=2026-10/events.parquet",
        "month=2026-11/events.parquet",
      ]);
      const rollup = await wh.usage("2026-10");
      // 150 events, 75 per tenant; units 0.001 * (0 + 2 + ... + 148) for dept_a = 5.55
      assert.deepEqual(rollup.map((r) => [r.tenant_id, r.events, r.compute_units]), [
        ["dept_a", 75, "5.550000"],
        ["dept_b", 75, "5.625000"],
      ]);
      const [first] = await wh.query(
        `SELECT id, ts FROM events WHERE month = '2026-11' ORDER BY ts, id LIMIT 1`,
      );
      assert.deepEqual(first, { id: "b000000", ts: "2026-11-01T00:00:00.000Z" });
      const log = await readIngestLog(store);
      assert.equal(log.length, 1);
      assert.deepEqual(
        { key: log[0].key, source: log[0].source, at: log[0].at, months: log[0].months },
        {
          key: "k1",
          source: "chunks",
          at: "2026-12-01T00:00:00.000Z",
          months: {
            "2026-10": { stored: 150, duplicates: 0, quarantined: 0 },
            "2026-11": { stored: 100, duplicates: 0, quarantined: 0 },
          },
        },
      );
    }, engine);
  });
}

Deno.test("appendChunks: a month already in the store gives null and changes nothing", async () => {
  await withStore(async (wh, store) => {
    await wh.appendChunks([month("2026-10", "a", 10)], { key: "k1" });
    const before = await Deno.readFile(join(store, "month=2026-10/events.parquet"));
    assert.equal(
      await wh.appendChunks([month("2026-09", "z", 5), month("2026-10", "c", 10)], { key: "k2" }),
      null,
    );
    assert.deepEqual(await files(store), ["month=2026-10/events.parquet"]);
    assert.deepEqual(await Deno.readFile(join(store, "month=2026-10/events.parquet")), before);
    assert.equal((await readIngestLog(store)).length, 1);
  });
});

Deno.test("appendChunks: ids overlapping the store's or another month's give null, nothing written", async () => {
  await withStore(async (wh, store) => {
    await wh.append([{
      id: "a000005",
      ts: "2026-08-03T00:00:00Z",
      tenant_id: "dept_a",
      event_type: "api_call",
      compute_units: 1,
    }]);
    // October's ids a000000..a000009 span the stored a000005, though no id repeats in October itself
    assert.equal(await wh.appendChunks([month("2026-10", "a", 10)], { key: "k" }), null);
    // two new months whose id ranges overlap each other
    assert.equal(
      await wh.appendChunks([month("2026-10", "b", 10), month("2026-11", "b", 10)], { key: "k" }),
      null,
    );
    assert.deepEqual(await files(store), ["month=2026-08/events.parquet"]);
    // disjoint ranges are fine
    const ok = await wh.appendChunks([month("2026-10", "b", 10), month("2026-11", "c", 10)], {
      key: "k",
    });
    assert.equal(ok?.stored, 20);
  });
});

Deno.test("appendChunks: a bad row is an error naming it, and no month is put in place", async () => {
  await withStore(async (wh, store) => {
    const bad: MonthChunks = {
      month: "2026-11",
      rows: 3,
      *chunks() {
        const [c] = month("2026-11", "b", 3).chunks();
        yield { ...c, computeMicros: Float64Array.of(0, -5, 0) };
      },
    };
    await assert.rejects(
      wh.appendChunks([month("2026-10", "a", 200), bad], { key: "k" }),
      /event chunk of 2026-11, row 1: compute units -0.000005 are not >= 0/,
    );
    const short = { ...month("2026-12", "c", 3), rows: 4 };
    await assert.rejects(
      wh.appendChunks([short], { key: "k" }),
      /month 2026-12 has 3 rows in its chunks, not 4/,
    );
    await assert.rejects(
      wh.appendChunks([month("2026-10", "a", 1), month("2026-10", "b", 1)], { key: "k" }),
      /a month is given twice/,
    );
    await assert.rejects(
      wh.appendChunks([{ ...month("2026-10", "a", 1), month: "2026-13" }], { key: "k" }),
      /month "2026-13" is not YYYY-MM/,
    );
    await assert.rejects(
      wh.appendChunks([{ ...month("2026-10", "a", 1), rows: -1 }], { key: "k" }),
      /month 2026-10 has a row count of -1/,
    );
    assert.deepEqual(await files(store), []);
    assert.deepEqual(await wh.months(), []);
  });
});

Deno.test("appendChunks: a month given with no rows is skipped, even one already in the store", async () => {
  await withStore(async (wh) => {
    await wh.appendChunks([month("2026-10", "a", 5)], { key: "k1" });
    const stats = await wh.appendChunks([month("2026-10", "z", 0), month("2026-11", "b", 5)], {
      key: "k2",
    });
    assert.equal(stats?.stored, 5);
    assert.deepEqual(await wh.months(), ["2026-10", "2026-11"]);
    // a month that says 0 rows but brings some is an error, not a silent drop
    await assert.rejects(
      wh.appendChunks([{ ...month("2026-12", "c", 3), rows: 0 }], { key: "k3" }),
      /month 2026-12 says 0 rows but its chunks have some/,
    );
  });
});
