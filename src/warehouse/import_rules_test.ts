/**
 * Import rules that are easy to get silently wrong: the host's time zone,
 * timestamp forms both engines agree on, millisecond precision, whole-number
 * fields, rounded compute units, `..` in tenant ids, several inputs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.ts";
import { openWarehouse } from "./warehouse.ts";

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    tenant_id: "dept_a",
    event_type: "api_call",
    compute_units: 1,
    ...fields,
  });

/** A month's stored events, as `deno task export --format ndjson` writes them. */
async function monthEvents(
  wh: Awaited<ReturnType<typeof openWarehouse>>,
  month: string,
): Promise<Array<Record<string, unknown>>> {
  const dir = await Deno.makeTempDir();
  try {
    await wh.exportMonth(month, "ndjson", join(dir, "out.ndjson"));
    return (await Deno.readTextFile(join(dir, "out.ndjson"))).split("\n").filter(Boolean)
      .map((text) => JSON.parse(text));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function quarantined(store: string): Record<string, string> {
  const out: Record<string, string> = {};
  const dir = join(store, "quarantine");
  for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const text of Deno.readTextFileSync(join(dir, e.name)).split("\n")) {
      if (!text) continue;
      const row = JSON.parse(text);
      out[String(row.id ?? row.line)] = String(row.reason);
    }
  }
  return out;
}

for (const engine of ["native", "wasm"] as const) {
  Deno.test(`import (${engine}): timestamps take Z or a numeric offset, never a zone name, to the ms`, async () => {
    const dir = await Deno.makeTempDir();
    const file = join(dir, "ts.ndjson");
    await Deno.writeTextFile(
      file,
      [
        line({ id: "z", ts: "2026-10-01T02:00:00Z" }),
        line({ id: "offset", ts: "2026-10-01T07:30:00+05:30" }),
        line({ id: "compact", ts: "2026-10-01T07:30:00+0530" }),
        line({ id: "naive", ts: "2026-10-01 02:00:00" }),
        line({ id: "micro", ts: "2026-10-01T02:00:00.123456789Z" }),
        line({ id: "zone", ts: "2026-10-02T00:00:00 America/New_York" }),
        line({ id: "words", ts: "October 1st" }),
      ].join("\n") + "\n",
    );
    const wh = await openWarehouse({ store: join(dir, "store"), engine });
    try {
      const stats = await wh.importFiles([file]);
      assert.equal(stats.stored, 5);
      assert.equal(stats.quarantined, 2);
      const events = await monthEvents(wh, "2026-10");
      assert.deepEqual(
        Object.fromEntries(events.map((e) => [e.id, e.ts])),
        {
          z: "2026-10-01T02:00:00.000Z",
          offset: "2026-10-01T02:00:00.000Z",
          compact: "2026-10-01T02:00:00.000Z",
          naive: "2026-10-01T02:00:00.000Z",
          micro: "2026-10-01T02:00:00.123Z",
        },
      );
      assert.deepEqual(quarantined(join(dir, "store")), {
        zone: "unparsable timestamp: 2026-10-02T00:00:00 America/New_York",
        words: "unparsable timestamp: October 1st",
      });
    } finally {
      await wh.close();
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test(`import (${engine}): lowercase t and z are RFC 3339 and stored; hour 24 and offsets past ±14:59 are unparsable`, async () => {
    const dir = await Deno.makeTempDir();
    const file = join(dir, "ts.ndjson");
    const texts: Record<string, string> = {
      lower_z: "2026-10-01T02:00:00z",
      lower_t: "2026-10-01t02:00:00Z",
      lower_both: "2026-10-01t02:00:00.5z",
      plus14: "2026-10-01T16:00:00+14:00",
      minus12: "2026-09-30T14:00:00-1200",
      end_of_day: "2026-10-01T23:59:59.999Z",
      hour24: "2026-10-01T24:00:00Z",
      hour25: "2026-10-01T25:00:00Z",
      minute60: "2026-10-01T02:60:00Z",
      second60: "2026-10-01T02:00:60Z",
      plus15: "2026-10-01T17:00:00+15:00",
      plus99: "2026-10-01T02:00:00+99",
      offset_min60: "2026-10-01T02:00:00+05:60",
    };
    await Deno.writeTextFile(
      file,
      Object.entries(texts).map(([id, ts]) => line({ id, ts })).join("\n") + "\n",
    );
    const wh = await openWarehouse({ store: join(dir, "store"), engine });
    try {
      const stats = await wh.importFiles([file]);
      assert.equal(stats.stored, 6);
      assert.equal(stats.quarantined, 7);
      const events = await monthEvents(wh, "2026-10");
      assert.deepEqual(Object.fromEntries(events.map((e) => [e.id, e.ts])), {
        lower_z: "2026-10-01T02:00:00.000Z",
        lower_t: "2026-10-01T02:00:00.000Z",
        lower_both: "2026-10-01T02:00:00.500Z",
        plus14: "2026-10-01T02:00:00.000Z",
        minus12: "2026-10-01T02:00:00.000Z",
        end_of_day: "2026-10-01T23:59:59.999Z",
      });
      const refused = [
        "hour24",
        "hour25",
        "minute60",
        "second60",
        "plus15",
        "plus99",
        "offset_min60",
      ];
      assert.deepEqual(
        quarantined(join(dir, "store")),
        Object.fromEntries(refused.map((id) => [id, `unparsable timestamp: ${texts[id]}`])),
      );
    } finally {
      await wh.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("import: whole-number fields are never rounded or nulled, 1e999 is kept as written, .. is refused", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "fields.ndjson");
  await Deno.writeTextFile(
    file,
    [
      `{"id":"inf","ts":"2026-10-01T00:00:00Z","tenant_id":"dept_a","event_type":"api_call","compute_units":1e999}`,
      line({ id: "frac", ts: "2026-10-01T00:00:00Z", n_steps: 3.7 }),
      line({ id: "huge", ts: "2026-10-01T00:00:00Z", status_code: 99999999999 }),
      line({ id: "dots", ts: "2026-10-01T00:00:00Z", tenant_id: "a..b" }),
      line({
        id: "ok",
        ts: "2026-10-01T00:00:00Z",
        n_steps: 365,
        status_code: 200,
        tenant_id: "a.b",
      }),
    ].join("\n") + "\n",
  );
  const store = join(dir, "store");
  const wh = await openWarehouse({ store });
  try {
    const stats = await wh.importFiles([file]);
    assert.equal(stats.read, 5);
    assert.equal(stats.stored, 1);
    assert.equal(stats.quarantined, 4);
    const reasons = quarantined(store);
    assert.deepEqual(Object.keys(reasons).sort(), [
      "dots",
      "frac",
      "huge",
      `{"id":"inf","ts":"2026-10-01T00:00:00Z","tenant_id":"dept_a","event_type":"api_call","compute_units":1e999}`,
    ]);
    assert.equal(reasons.frac, "bad n_steps: not a whole number in range: 3.7");
    assert.equal(reasons.huge, "bad status_code: not a whole number in range: 99999999999");
    assert.equal(reasons.dots, "bad tenant_id format: a..b");
    const [ok] = await monthEvents(wh, "2026-10");
    assert.equal(ok.n_steps, 365);
    assert.equal(ok.status_code, 200);
  } finally {
    await wh.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import: compute units with more than 6 decimals are stored to 6 and counted as rounded", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "cu.csv");
  await Deno.writeTextFile(
    file,
    "id,ts,tenant_id,event_type,compute_units\n" +
      "a,2026-10-01T00:00:00Z,dept_a,api_call,0.1\n" +
      "b,2026-10-01T00:00:01Z,dept_a,api_call,1.2345675\n" +
      "c,2026-10-01T00:00:02Z,dept_a,api_call,0.0000004\n" +
      "d,2026-10-01T00:00:03Z,dept_a,api_call,2.5\n",
  );
  const wh = await openWarehouse({ store: join(dir, "store") });
  try {
    const stats = await wh.importFiles([file]);
    assert.deepEqual(stats, { read: 4, stored: 4, duplicates: 0, quarantined: 0, rounded: 2 });
    const units = Object.fromEntries(
      (await monthEvents(wh, "2026-10")).map((e) => [e.id, e.compute_units]),
    );
    assert.deepEqual(units, { a: 0.1, b: 1.234568, c: 0, d: 2.5 });
  } finally {
    await wh.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import: a later unreadable file names the files already stored; every quarantine file is listed", async () => {
  const dir = await Deno.makeTempDir();
  const a = join(dir, "a.ndjson");
  const b = join(dir, "b.ndjson");
  const junk = join(dir, "junk.parquet");
  await Deno.writeTextFile(a, line({ id: "a1", ts: "2026-10-01T00:00:00Z" }) + "\nnot json\n");
  await Deno.writeTextFile(b, line({ id: "b1", ts: "2026-10-01T00:00:00Z" }) + "\n{}\n");
  await Deno.writeTextFile(junk, "this is not parquet");
  const wh = await openWarehouse({ store: join(dir, "store") });
  try {
    const both = await wh.importFiles([a, b]);
    assert.equal(both.quarantineFiles?.length, 2);
    assert.equal(both.quarantineFile, both.quarantineFiles![0]);
    await assert.rejects(
      () => wh.importFiles([a, junk]),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /^Cannot read ".*junk\.parquet" as parquet: /);
        assert.match(error.message, /already imported before it: .*a\.ndjson: 2 read, 0 stored/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
  } finally {
    await wh.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "import and generate store the same instants on a machine outside UTC",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // A child process in New York time (and one in Tokyo) must store exactly what UTC stores.
    const dir = await Deno.makeTempDir();
    const script = join(dir, "store.ts");
    const warehouse = new URL("./mod.ts", import.meta.url).href;
    const generate = new URL("../generate/mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { openWarehouse } from ${JSON.stringify(warehouse)};
import { writeScenario } from ${JSON.stringify(generate)};
const [store, file] = Deno.args;
const wh = await openWarehouse({ store });
await wh.importFiles([file]);
await writeScenario(wh, "seed", { seed: 1 });
const out = [];
for (const m of await wh.months()) {
  await wh.exportMonth(m, "ndjson", store + "/out.ndjson");
  for (const text of Deno.readTextFileSync(store + "/out.ndjson").split("\\n").filter(Boolean)) {
    const e = JSON.parse(text);
    out.push(e.id + " " + e.ts);
  }
}
await wh.close();
console.log(JSON.stringify(out));
`,
    );
    const file = join(dir, "edge.ndjson");
    await Deno.writeTextFile(
      file,
      line({ id: "edge", ts: "2026-10-01T02:00:00Z", compute_units: 100 }) + "\n",
    );
    const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
    const run = async (tz: string) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-q", "-A", "--config", config, script, join(dir, tz), file],
        env: { TZ: tz },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      return JSON.parse(new TextDecoder().decode(out.stdout)) as string[];
    };
    try {
      const utc = await run("UTC");
      assert.ok(utc.includes("edge 2026-10-01T02:00:00.000Z"), utc.slice(0, 3).join());
      assert.equal(utc.length, 201);
      assert.deepEqual(await run("America/New_York"), utc);
      assert.deepEqual(await run("Asia/Tokyo"), utc);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
