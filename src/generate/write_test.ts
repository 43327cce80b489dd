import assert from "node:assert/strict";
import { openWarehouse } from "../warehouse/mod.ts";
import type { Warehouse } from "../warehouse/mod.ts";
import { eventsSha256 } from "./canonical.ts";
import { generateScenario, loadScenario, type ScaleScenario, writeScenario } from "./mod.ts";
import { scaleMonths } from "./scale_sql.ts";

/** seed/42's canonical sha256 (the same pin as generate_test.ts). */
const SEED_42_SHA256 = "a12bb3646354785fd2820f92d33b228c2d77a1bb1c1692bd2c3a6838f88eac0a";

async function withStore<T>(
  fn: (wh: Warehouse) => Promise<T>,
  engine: "native" | "wasm" = "native",
): Promise<T> {
  const store = await Deno.makeTempDir({ prefix: "meterbook-generate-" });
  const wh = await openWarehouse({ store, engine });
  try {
    return await fn(wh);
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
  }
}

/** The canonical export of everything in the store, read back through SQL. */
async function storeSha256(wh: Warehouse): Promise<string> {
  return await eventsSha256(await wh.query("SELECT * FROM events ORDER BY id"));
}

Deno.test("seed/42 written to a store reads back byte-identical; a rerun stores nothing", async () => {
  await withStore(async (wh) => {
    const first = await writeScenario(wh, "seed", { seed: 42 });
    assert.deepEqual(first, { read: 200, stored: 200, duplicates: 0, quarantined: 0 });
    assert.deepEqual(await wh.months(), ["2026-10"]);
    assert.equal(await storeSha256(wh), SEED_42_SHA256);
    const again = await writeScenario(wh, "seed", { seed: 42 });
    assert.deepEqual(again, { read: 200, stored: 0, duplicates: 200, quarantined: 0 });
    assert.equal(await storeSha256(wh), SEED_42_SHA256);
  });
});

const SCALE = { seed: 3, tenants: 7, events: 12_345 };
/** The canonical sha256 of scale with SCALE's options: pinned so a change of the SQL is noticed. */
const SCALE_SHA256 = "f5b6974c0fdda5bdb84780a5d466b0dab977470d28206ce73483e204943bd326";

Deno.test("scale: exact counts per tenant and month, ranges per type, valid ids", async () => {
  const scenario = (await loadScenario("scale")) as ScaleScenario;
  await withStore(async (wh) => {
    const stats = await writeScenario(wh, "scale", SCALE);
    assert.deepEqual(stats, { read: 12_345, stored: 12_345, duplicates: 0, quarantined: 0 });
    const perTenant = await wh.query(
      "SELECT tenant_id, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    );
    // round-robin: 12345 = 7 * 1763 + 4, so t00001..t00004 have 1764
    assert.deepEqual(
      perTenant.map((r) => [r.tenant_id, Number(r.n)]),
      [1764, 1764, 1764, 1764, 1763, 1763, 1763].map((n, i) => [`t0000${i + 1}`, n]),
    );
    const perMonth = await wh.query(
      "SELECT month, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    );
    const expected = scaleMonths({ events: 12_345, from: scenario.from, months: scenario.months });
    assert.deepEqual(
      perMonth.map((r) => [r.month, Number(r.n)]),
      expected.map((m) => [m.month, m.count]),
    );
    assert.equal(expected.reduce((s, m) => s + m.count, 0), 12_345);
    const [ids] = await wh.query(
      "SELECT count(DISTINCT id) AS n, min(id) AS lo, max(id) AS hi FROM events",
    );
    assert.deepEqual([Number(ids.n), ids.lo, ids.hi], [12_345, "scale-3-000000", "scale-3-012344"]);
    const ranges = await wh.query(
      `SELECT event_type, count(*) AS n, min(compute_units)::DOUBLE AS lo,
         max(compute_units)::DOUBLE AS hi FROM events GROUP BY 1 ORDER BY 1`,
    );
    const want: Record<string, [number, number, number]> = {
      api_call: [0.7, 0.001, 0.01],
      enkf_run: [0.2, 1, 10],
      report_gen: [0.1, 0.1, 0.5],
    };
    assert.deepEqual(ranges.map((r) => r.event_type), Object.keys(want));
    for (const r of ranges) {
      const [p, lo, hi] = want[String(r.event_type)];
      // +-0.02 of the share: about 5 standard deviations at n = 12345
      assert.ok(Math.abs(Number(r.n) / 12_345 - p) < 0.02, `${r.event_type}: ${r.n}`);
      assert.ok(Number(r.lo) >= lo && Number(r.hi) <= hi, JSON.stringify(r));
    }
  });
});

Deno.test("scale: same seed, same bytes (pinned); another seed differs", async () => {
  const a = await withStore(async (wh) => {
    await writeScenario(wh, "scale", SCALE);
    return await storeSha256(wh);
  });
  const b = await withStore(async (wh) => {
    await writeScenario(wh, "scale", SCALE);
    return await storeSha256(wh);
  });
  assert.equal(a, SCALE_SHA256);
  assert.equal(b, SCALE_SHA256);
  const c = await withStore(async (wh) => {
    await writeScenario(wh, "scale", { ...SCALE, seed: 4 });
    return await storeSha256(wh);
  });
  assert.notEqual(a, c);
});

Deno.test("scale: the wasm engine generates the same bytes as native", async () => {
  const small = { seed: 9, tenants: 5, events: 3_001 };
  const native = await withStore(async (wh) => {
    await writeScenario(wh, "scale", small);
    return await storeSha256(wh);
  });
  const wasm = await withStore(async (wh) => {
    await writeScenario(wh, "scale", small);
    return await storeSha256(wh);
  }, "wasm");
  assert.equal(wasm, native);
});

Deno.test("demo (with a cheap EnKF stand-in) written to a store reads back identical", async () => {
  const options = {
    seed: 2,
    enkfRunner: (job: { id: string; ts: string; tenant_id: string; n_ens: number }) =>
      Promise.resolve({
        id: job.id,
        ts: job.ts,
        tenant_id: job.tenant_id,
        event_type: "enkf_run",
        compute_units: job.n_ens / 1000,
      }),
  };
  const events = await generateScenario("demo", options);
  await withStore(async (wh) => {
    const stats = await writeScenario(wh, "demo", options);
    assert.equal(stats.stored, events.length);
    assert.equal((await wh.months()).length, 12);
    assert.equal(await storeSha256(wh), await eventsSha256(events));
  });
});
