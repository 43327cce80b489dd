import assert from "node:assert/strict";
import { join } from "node:path";
import { writeScenario } from "../generate/mod.ts";
import { openEngine } from "./engine.ts";
import { openWarehouse, type Warehouse } from "./warehouse.ts";

const fixtures = new URL("../../test/fixtures/import/", import.meta.url).pathname;

Deno.test("both engines return the same plain values", async () => {
  for (const kind of ["native", "wasm"] as const) {
    const engine = await openEngine(kind);
    try {
      assert.deepEqual(
        await engine.query(
          `SELECT 42::BIGINT AS big, 7::INTEGER AS small, 1.5::DECIMAL(18,6) AS dec, 0.25::DOUBLE AS dbl,
             TIMESTAMP '2026-10-01 12:34:56.789' AS ts, 'x' AS s, NULL::VARCHAR AS n, true AS b`,
        ),
        [{
          big: "42",
          small: 7,
          dec: "1.500000",
          dbl: 0.25,
          ts: "2026-10-01T12:34:56.789Z",
          s: "x",
          n: null,
          b: true,
        }],
        kind,
      );
    } finally {
      await engine.close();
    }
  }
});

async function everything(wh: Warehouse) {
  return {
    months: await wh.months(),
    usage: await wh.usage("2026-10"),
    zoned: await wh.usage("2026-10", { timeZones: { dept_a: "America/Los_Angeles" } }),
    byMonth: await wh.usageByMonth(),
    daily: await wh.dailyUsage(),
    quality: await wh.dataQuality("2026-10"),
    ids: await wh.query("SELECT id, ts, compute_units FROM events ORDER BY ts, id"),
  };
}

Deno.test("native and wasm engines give the same results on the seed scenario", async () => {
  const stores = { native: await Deno.makeTempDir(), wasm: await Deno.makeTempDir() };
  const results: Record<string, unknown> = {};
  const bytes: Record<string, Uint8Array> = {};
  const csv: Record<string, string> = {};
  for (const engine of ["native", "wasm"] as const) {
    const wh = await openWarehouse({ store: stores[engine], engine });
    try {
      const stats = await writeScenario(wh, "seed", { seed: 42 });
      assert.equal(stats.stored, 200, engine);
      const imported = await wh.importFiles([
        join(fixtures, "good.ndjson"),
        join(fixtures, "bad.ndjson"),
        join(fixtures, "events.csv"),
      ]);
      results[engine] = { imported, ...(await everything(wh)) };
      bytes[engine] = await Deno.readFile(join(stores[engine], "month=2026-10", "events.parquet"));
      const out = join(stores[engine], "export.csv");
      await wh.exportMonth("2026-10", "csv", out);
      csv[engine] = await Deno.readTextFile(out);
    } finally {
      await wh.close();
    }
  }
  const strip = (r: unknown) =>
    JSON.parse(JSON.stringify(r).replaceAll(stores.wasm, stores.native));
  assert.deepEqual(strip(results.wasm), strip(results.native));
  assert.equal(csv.wasm, csv.native);
  assert.deepEqual(bytes.wasm, bytes.native);
  // and the wasm engine reads the store the native engine wrote
  const wasm = await openWarehouse({ store: stores.native, engine: "wasm" });
  try {
    const again = await everything(wasm);
    const { imported: _, ...native } = results.native as Record<string, unknown>;
    assert.deepEqual(again, native);
  } finally {
    await wasm.close();
  }
});
