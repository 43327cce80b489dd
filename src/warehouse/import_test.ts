import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { openWarehouse } from "./warehouse.ts";

const fixtures = new URL("../../test/fixtures/import/", import.meta.url).pathname;
const fixture = (name: string) => join(fixtures, name);

async function quarantineLines(store: string): Promise<Array<Record<string, unknown>>> {
  const dir = join(store, "quarantine");
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  const lines = [];
  for (const name of names) {
    for (const line of (await Deno.readTextFile(join(dir, name))).split("\n")) {
      if (line) lines.push(JSON.parse(line));
    }
  }
  return lines;
}

Deno.test("import quarantines each bad-row kind with its reason and stores the rest", async () => {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  try {
    const stats = await wh.importFiles([fixture("bad.ndjson")]);
    assert.deepEqual(
      { ...stats, quarantineFile: undefined },
      { read: 11, stored: 1, duplicates: 0, quarantined: 10, quarantineFile: undefined },
    );
    assert.match(stats.quarantineFile!, /quarantine\/bad-[0-9a-f]{16}\.ndjson$/);
    const reasons = Object.fromEntries(
      (await quarantineLines(store)).map((row) => [row.id ?? row.line ?? "no-id", row.reason]),
    );
    assert.deepEqual(reasons, {
      b1: "missing field: ts",
      b2: "unparsable timestamp: yesterday at noon",
      b3: "negative compute_units: -2",
      b4: "non-finite compute_units: Infinity",
      b5: "bad event_type format: API Call",
      b6: "bad tenant_id format: dept a!",
      b7: "missing field: tenant_id",
      "no-id": "missing field: id",
      "this is not json": "not a JSON object",
      b8: "non-finite compute_units: NaN",
    });
    // original fields are kept
    const b6 = (await quarantineLines(store)).find((r) => r.id === "b6")!;
    assert.deepEqual(b6, {
      id: "b6",
      ts: "2026-10-05T00:00:00Z",
      tenant_id: "dept a!",
      event_type: "api_call",
      compute_units: 1,
      reason: "bad tenant_id format: dept a!",
    });
  } finally {
    await wh.close();
  }
});

Deno.test("import dedupes within and across files; re-import stores nothing new", async () => {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  try {
    // good.ndjson repeats g2; events.csv repeats c1 and g1 (from good.ndjson)
    const first = await wh.importFiles([fixture("good.ndjson"), fixture("events.csv")]);
    assert.equal(first.read, 13);
    assert.equal(first.stored, 7); // g1..g5, c1, c2
    assert.equal(first.duplicates, 3); // g2 (in file), g1 (across files), c1 (in file)
    assert.equal(first.quarantined, 3); // c3 ts, c4 negative, c5 tenant
    const again = await wh.importFiles([fixture("good.ndjson"), fixture("events.csv")]);
    assert.deepEqual(
      { stored: again.stored, duplicates: again.duplicates, quarantined: again.quarantined },
      { stored: 0, duplicates: 10, quarantined: 3 },
    );
    const [{ n, ids }] = await wh.query(
      "SELECT count(*) AS n, string_agg(id, ',' ORDER BY id) AS ids FROM events",
    );
    assert.equal(n, "7");
    assert.equal(ids, "c1,c2,g1,g2,g3,g4,g5");
    assert.deepEqual(await wh.months(), ["2026-10", "2026-11"]);
    // the CSV's quoted comma and the offset timestamp come through intact
    const rows = await wh.query(
      "SELECT id, ts, endpoint, compute_units FROM events WHERE id IN ('c1', 'g3') ORDER BY id",
    );
    assert.deepEqual(rows, [
      { id: "c1", ts: "2026-10-07T00:00:00.000Z", endpoint: "/v1/a,b", compute_units: "0.002000" },
      { id: "g3", ts: "2026-10-03T08:00:00.000Z", endpoint: null, compute_units: "0.300000" },
    ]);
  } finally {
    await wh.close();
  }
});

Deno.test("import reads Parquet and counts data quality (late, duplicates, unauthenticated)", async () => {
  const store = await Deno.makeTempDir();
  const other = await Deno.makeTempDir();
  // build a Parquet input by exporting from a scratch store
  const scratch = await openWarehouse({ store: other });
  await scratch.importFiles([fixture("good.ndjson")]);
  const parquet = join(other, "october.parquet");
  assert.equal(await scratch.exportMonth("2026-10", "parquet", parquet), 4);
  await scratch.close();

  const wh = await openWarehouse({ store, clock: () => new Date("2026-11-03T00:00:00Z") });
  try {
    const stats = await wh.importFiles([parquet]);
    assert.deepEqual(stats, { read: 4, stored: 4, duplicates: 0, quarantined: 0 });
    await wh.importFiles([fixture("events.csv")]); // g1 duplicate, c3..c5 quarantined
    assert.deepEqual(await wh.dataQuality("2026-10"), {
      quarantined: 2, // c4, c5 (c3's timestamp is unparsable: counted in no month)
      duplicates: 2, // g1 (already stored) and c1 (repeated in the file)
      late: 6, // 4 + c1 + c2, all stored on 2026-11-03
      unauthenticated: 1, // g4
    });
    assert.deepEqual(await wh.dataQuality("2026-11"), {
      quarantined: 0,
      duplicates: 0,
      late: 0,
      unauthenticated: 0,
    });
  } finally {
    await wh.close();
  }
});

Deno.test("import refuses a missing file or an unknown format before reading anything", async () => {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  try {
    await assert.rejects(
      () => wh.importFiles([fixture("good.ndjson"), fixture("missing.ndjson")]),
      (e: unknown) => e instanceof UserError && /missing\.ndjson": no such file/.test(e.message),
    );
    await assert.rejects(
      () => wh.importFiles([fixture("events.txt")]),
      (e: unknown) => e instanceof UserError && /unknown format/.test(e.message),
    );
    assert.deepEqual(await wh.months(), []);
  } finally {
    await wh.close();
  }
});

Deno.test("appendQuery validates typed rows and dedupes against the store", async () => {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  const select = (from: number, to: number) =>
    `SELECT 'q' || i AS id, TIMESTAMP '2026-10-01' + INTERVAL (i) HOUR AS ts,
       CASE WHEN i = 7 THEN 'bad tenant' ELSE 't' || (i % 3) END AS tenant_id,
       'api_call' AS event_type, (i / 4)::DECIMAL(18,6) AS compute_units
     FROM range(${from}, ${to}) t(i)`;
  try {
    const first = await wh.appendQuery(select(0, 10));
    assert.deepEqual(
      { ...first, quarantineFile: undefined },
      { read: 10, stored: 9, duplicates: 0, quarantined: 1, quarantineFile: undefined },
    );
    const second = await wh.appendQuery(select(5, 20));
    assert.deepEqual({ ...second, quarantineFile: undefined }, {
      read: 15,
      stored: 10,
      duplicates: 4,
      quarantined: 1,
      quarantineFile: undefined,
    });
    const [row] = await wh.usage("2026-10");
    assert.equal(row.tenant_id, "t0");
    assert.equal(typeof row.compute_units, "string");
    assert.match(row.compute_units, /^\d+\.\d{6}$/);
  } finally {
    await wh.close();
  }
});
