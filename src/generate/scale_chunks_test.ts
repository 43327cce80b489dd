import assert from "node:assert/strict";
import { openWarehouse, queryIngestKey } from "../warehouse/mod.ts";
import { writeScenario } from "./generate.ts";
import { scaleMonthChunks } from "./scale_chunks.ts";
import { scaleMonthSelects, type ScaleSqlOptions } from "./scale_sql.ts";

const BASE: ScaleSqlOptions = {
  seed: 11,
  tenants: 300,
  events: 25_017,
  from: "2026-01",
  months: 12,
  idPrefix: "scale",
  tenantPrefix: "t",
  tenantDigits: 5,
  eventTypes: [
    { type: "api_call", weight: 0.7, compute_units: [0.001, 0.01] },
    { type: "enkf_run", weight: 0.2, compute_units: [1, 10] },
    { type: "report_gen", weight: 0.1, compute_units: [0.1, 0.5] },
  ],
};

/** Every stored row of the store, in id order, as the warehouse returns them. */
async function rowsVia(
  write: "chunks" | "sql",
  options: ScaleSqlOptions,
  engine: "native" | "wasm" = "native",
) {
  const store = await Deno.makeTempDir({ prefix: "meterbook-scale-chunks-" });
  const wh = await openWarehouse({ store, engine });
  try {
    const parts = scaleMonthSelects(options).map((p) => p.sql);
    const stats = write === "chunks"
      ? await wh.appendChunks(scaleMonthChunks(options, 1000), { key: await queryIngestKey(parts) })
      : await wh.appendQuery(parts);
    assert.deepEqual(stats, {
      read: options.events,
      stored: options.events,
      duplicates: 0,
      quarantined: 0,
    });
    return await wh.query("SELECT * FROM events ORDER BY id");
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
  }
}

Deno.test("scaleMonthChunks: the same rows as the SQL generator, row for row", async () => {
  // 300 tenants (9-bit dictionary), chunks of 1000 rows, months that start inside a 10,000-row block
  const sql = await rowsVia("sql", BASE);
  const chunks = await rowsVia("chunks", BASE);
  assert.equal(chunks.length, 25_017);
  assert.deepEqual(chunks, sql);
});

Deno.test("scaleMonthChunks: more tenants than a chunk has rows: each chunk's dictionary holds its own", async () => {
  // 2,500 tenants, chunks of 1,000 rows: a chunk names 1,000 tenants, some wrapping past t02500
  const options = { ...BASE, tenants: 2500, events: 7001, months: 2 };
  assert.deepEqual(await rowsVia("chunks", options), await rowsVia("sql", options));
  const [first] = scaleMonthChunks(options, 1000);
  const sizes = [...first.chunks()].map((c) => c.tenants.length);
  assert.ok(sizes.every((n) => n <= 1000), `dictionary sizes ${sizes}`);
});

Deno.test("scaleMonthChunks: the same rows for a seed above 2^32, one type, one month", async () => {
  const options: ScaleSqlOptions = {
    ...BASE,
    seed: 2 ** 33 + 5,
    tenants: 1,
    events: 3001,
    months: 1,
    from: "2024-02",
    eventTypes: [{ type: "report_gen", weight: 1, compute_units: [0.1, 0.5] }],
  };
  assert.deepEqual(await rowsVia("chunks", options), await rowsVia("sql", options, "wasm"));
});

Deno.test("scaleMonthChunks: month row counts match scaleMonthSelects, chunks are at most chunkRows", () => {
  const months = scaleMonthChunks(BASE, 1000);
  assert.deepEqual(
    months.map((m) => [m.month, m.rows]),
    scaleMonthSelects(BASE).map((p) => [p.month, p.events]),
  );
  const sizes = [...months[0].chunks()].map((c) => c.rows);
  assert.equal(sizes.reduce((s, n) => s + n, 0), months[0].rows);
  assert.ok(sizes.every((n) => n <= 1000) && sizes.slice(0, -1).every((n) => n === 1000));
});

Deno.test("writeScenario scale: the columnar path first; a rerun goes through SQL and stores nothing", async () => {
  const store = await Deno.makeTempDir({ prefix: "meterbook-scale-rerun-" });
  const wh = await openWarehouse({ store });
  try {
    const options = { seed: 5, tenants: 3, events: 2000 };
    assert.deepEqual(await writeScenario(wh, "scale", options), {
      read: 2000,
      stored: 2000,
      duplicates: 0,
      quarantined: 0,
    });
    const log = await Deno.readTextFile(`${store}/_meta/ingest.ndjson`);
    assert.match(log, /"source":"chunks"/);
    assert.deepEqual(await writeScenario(wh, "scale", options), {
      read: 2000,
      stored: 0,
      duplicates: 2000,
      quarantined: 0,
    });
    // both runs carry the same content key, so data quality counts the rerun's duplicates once
    const keys = (await Deno.readTextFile(`${store}/_meta/ingest.ndjson`)).trim().split("\n")
      .map((l) => JSON.parse(l).key);
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1]);
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("writeScenario scale: a scenario that ends in the last month a scenario may cover (9999-11) is stored whole", async () => {
  const store = await Deno.makeTempDir({ prefix: "meterbook-scale-late-" });
  const scenarioDir = await Deno.makeTempDir({ prefix: "meterbook-scale-late-scenarios-" });
  const wh = await openWarehouse({ store });
  try {
    await Deno.writeTextFile(
      `${scenarioDir}/late.json`,
      JSON.stringify({
        kind: "scale",
        description: "the last months",
        from: "9999-09",
        months: 3,
        tenants: 2,
        events: 300,
        tenant_prefix: "t",
        tenant_digits: 2,
        event_types: [{ type: "api_call", weight: 1, compute_units: [0.001, 0.001] }],
      }),
    );
    const result = await writeScenario(wh, "late", { seed: 3, scenarioDir });
    assert.deepEqual(result, { read: 300, stored: 300, duplicates: 0, quarantined: 0 });
    assert.deepEqual(await wh.months(), ["9999-09", "9999-10", "9999-11"]);
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
    await Deno.remove(scenarioDir, { recursive: true });
  }
});
