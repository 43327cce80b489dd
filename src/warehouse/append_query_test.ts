import assert from "node:assert/strict";
import { join } from "node:path";
import type { Engine } from "./engine.ts";
import { openWarehouse } from "./warehouse.ts";

/** Rows `from .. to-1` of month `month` (hourly), ids `<prefix><i zero-padded>`. */
function monthSelect(month: string, from: number, to: number, prefix = "q"): string {
  return `SELECT '${prefix}' || lpad(i::VARCHAR, 6, '0') AS id,
      TIMESTAMP '${month}-01' + INTERVAL (i % 600) HOUR + INTERVAL (i) SECOND AS ts,
      't' || (i % 3) AS tenant_id, CASE WHEN i % 4 = 0 THEN 'enkf_run' ELSE 'api_call' END AS event_type,
      (i / 8)::DECIMAL(18,6) AS compute_units
    FROM range(${from}, ${to}) t(i)`;
}

async function storeBytes(store: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of [...Deno.readDirSync(store)].sort((a, b) => a.name < b.name ? -1 : 1)) {
    if (!entry.name.startsWith("month=")) continue;
    for (const file of [...Deno.readDirSync(join(store, entry.name))].map((e) => e.name).sort()) {
      const bytes = await Deno.readFile(join(store, entry.name, file));
      const hash = await crypto.subtle.digest("SHA-256", bytes);
      out[`${entry.name}/${file}`] = [...new Uint8Array(hash)]
        .map((b) => b.toString(16).padStart(2, "0")).join("");
    }
  }
  return out;
}

async function append(engine: Engine, batches: Array<string | string[]>) {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store, engine });
  try {
    const stats = [];
    for (const batch of batches) stats.push(await wh.appendQuery(batch));
    return { store, stats, bytes: await storeBytes(store) };
  } finally {
    await wh.close();
  }
}

const OCT = monthSelect("2026-10", 0, 3000);
const NOV = monthSelect("2026-11", 3000, 5000);

Deno.test("appendQuery: per-month SELECTs stream to the same bytes as the materializing path", async () => {
  // one SELECT per month: the streaming path
  const parts = await append("native", [[OCT, NOV]]);
  // one SELECT over both months: the write's month check aborts the stream, the batch is materialized
  const whole = await append("native", [`${OCT} UNION ALL ${NOV}`]);
  // the wasm engine on the streaming path
  const wasm = await append("wasm", [[NOV, OCT]]);
  const expected = { read: 5000, stored: 5000, duplicates: 0, quarantined: 0 };
  for (const run of [parts, whole, wasm]) {
    assert.deepEqual(run.stats, [expected]);
    assert.deepEqual(Object.keys(run.bytes), [
      "month=2026-10/events.parquet",
      "month=2026-11/events.parquet",
    ]);
    await Deno.remove(run.store, { recursive: true });
  }
  assert.deepEqual(whole.bytes, parts.bytes);
  assert.deepEqual(wasm.bytes, parts.bytes);
});

Deno.test("appendQuery: appending new ids into stored months streams the same bytes as one batch", async () => {
  const oneBatch = await append("native", [[OCT, monthSelect("2026-10", 3000, 4000, "r")]]);
  const twoBatches = await append("native", [[OCT], [monthSelect("2026-10", 3000, 4000, "r")]]);
  assert.deepEqual(twoBatches.stats.map((s) => s.stored), [3000, 1000]);
  assert.deepEqual(twoBatches.bytes, oneBatch.bytes);
  for (const run of [oneBatch, twoBatches]) await Deno.remove(run.store, { recursive: true });
});

Deno.test("appendQuery: what the stream cannot prove falls back to validation and dedupe", async () => {
  const negative = `SELECT * REPLACE (CASE WHEN id = 'q000007' THEN -1 ELSE compute_units END
    AS compute_units) FROM (${OCT})`;
  const run = await append("native", [
    [negative, NOV], // a bad row the pre-pass does not read: caught by the write, quarantined
    [OCT, NOV], // every id stored already: the store's id range overlaps
    [monthSelect("2026-12", 0, 10, "z"), monthSelect("2026-12", 5, 20, "z")], // overlapping ids
    [
      `SELECT * FROM (${OCT}) WHERE false`, // an empty SELECT beside them changes nothing
      `${monthSelect("2026-09", 0, 10, "w")} UNION ALL ${monthSelect("2026-09", 0, 3, "w")}`, // repeats
      monthSelect("2026-08", 100, 104, "w"),
    ],
  ]);
  assert.deepEqual(run.stats.map(({ quarantineFile: _, ...s }) => s), [
    { read: 5000, stored: 4999, duplicates: 0, quarantined: 1 },
    { read: 5000, stored: 1, duplicates: 4999, quarantined: 0 },
    { read: 25, stored: 20, duplicates: 5, quarantined: 0 },
    { read: 17, stored: 14, duplicates: 3, quarantined: 0 },
  ]);
  // no temporary files left behind by the abandoned streams
  for (
    const dir of [
      "month=2026-08",
      "month=2026-09",
      "month=2026-10",
      "month=2026-11",
      "month=2026-12",
    ]
  ) {
    assert.deepEqual([...Deno.readDirSync(join(run.store, dir))].map((e) => e.name), [
      "events.parquet",
    ]);
  }
  await Deno.remove(run.store, { recursive: true });
});
