import assert from "node:assert/strict";
import { join } from "node:path";
import { PostgresStore } from "../src/metering/postgres_sink.ts";
import { openWarehouse } from "../src/warehouse/mod.ts";
import { requires } from "./support/requires.ts";

const root = new URL("..", import.meta.url).pathname;
const fixtures = join(root, "test/fixtures/import");

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "src/cli.ts"), ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const clean = (b: Uint8Array) =>
    new TextDecoder().decode(b).split("\n").filter((l) => !l.includes("Warning")).join("\n");
  return { code: out.code, stdout: clean(out.stdout), stderr: clean(out.stderr) };
}

Deno.test("deno task import / export end to end", async () => {
  const store = await Deno.makeTempDir();
  const first = await cli(
    "import",
    "--store",
    store,
    join(fixtures, "good.ndjson"),
    join(fixtures, "bad.ndjson"),
    join(fixtures, "events.csv"),
  );
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^read: 24\nstored: 8\nduplicates: 3\nquarantined: 13\n/);
  const again = await cli("import", "--store", store, join(fixtures, "good.ndjson"));
  assert.equal(again.code, 0);
  assert.match(again.stdout, /stored: 0\nduplicates: 6\n/);

  const out = join(store, "out", "october.csv");
  const exported = await cli(
    "export",
    "--store",
    store,
    "--month",
    "2026-10",
    "--format",
    "csv",
    "--output",
    out,
  );
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /exported 7 events of 2026-10/);
  const lines = (await Deno.readTextFile(out)).trim().split("\n");
  assert.equal(lines.length, 8);
  assert.match(lines[0], /^id,ts,tenant_id,event_type,compute_units,/);
  assert.match(lines[1], /^g1,2026-10-01T08:00:00\.000Z,dept_a,api_call,0\.005000,/);
});

Deno.test("import exits 1 with one line for a missing file or an unknown format", async () => {
  const store = await Deno.makeTempDir();
  const missing = await cli("import", "--store", store, join(store, "nope.ndjson"));
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout.trim(), "");
  assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
  assert.match(missing.stderr, /meterbook import: Cannot import ".*nope\.ndjson": no such file/);
  const unknown = await cli("import", "--store", store, join(fixtures, "events.txt"));
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr.trim().split("\n").length, 1, unknown.stderr);
  assert.match(unknown.stderr, /unknown format; give a \.ndjson, \.jsonl, \.csv or \.parquet file/);
  const bad = await cli("export", "--store", store, "--month", "2026-10", "--output", "x.xlsx");
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--format "": expected csv, ndjson or parquet/);
});

Deno.test({
  name: "import --from-postgres copies a month from PostgreSQL into the store",
  ...requires("postgres"),
  async fn() {
    const url = Deno.env.get("MB_TEST_PG_URL")!;
    const store = await Deno.makeTempDir();
    // a month of its own, unique ids: the default table is shared with other tests
    const tag = crypto.randomUUID().slice(0, 8);
    const month = "2019-03";
    const sink = new PostgresStore(url);
    await sink.writeBatch([
      {
        id: `wh-pg-${tag}-1`,
        ts: "2019-03-02T10:00:00.000Z",
        tenant_id: "dept_a",
        event_type: "api_call",
        compute_units: 0.25,
      },
      {
        id: `wh-pg-${tag}-2`,
        ts: "2019-03-31T23:59:59.999Z",
        tenant_id: null,
        event_type: "unauthenticated",
        compute_units: 0,
        status_code: 401,
      },
    ]);
    await sink.close();
    const run = await cli("import", "--store", store, "--from-postgres", url, "--month", month);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /quarantined: 0/);
    const again = await cli("import", "--store", store, "--from-postgres", url, "--month", month);
    assert.match(again.stdout, /stored: 0\n/);
    const wh = await openWarehouse({ store });
    try {
      const rows = await wh.query(
        `SELECT id, ts, tenant_id FROM events WHERE id LIKE 'wh-pg-${tag}-%' ORDER BY id`,
      );
      assert.deepEqual(rows, [
        { id: `wh-pg-${tag}-1`, ts: "2019-03-02T10:00:00.000Z", tenant_id: "dept_a" },
        { id: `wh-pg-${tag}-2`, ts: "2019-03-31T23:59:59.999Z", tenant_id: null },
      ]);
    } finally {
      await wh.close();
    }
  },
});

Deno.test("export includes the events still in the metering WAL", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = join(dir, "events");
    await Deno.mkdir(join(store, "wal"), { recursive: true });
    const event = {
      id: "0192aaaa-0000-7000-8000-000000000009",
      ts: "2026-10-10T12:00:00.000Z",
      tenant_id: "dept_a",
      event_type: "api_call",
      compute_units: 0.001,
    };
    await Deno.writeTextFile(
      join(store, "wal", `${event.id}.ndjson`),
      JSON.stringify(event) + "\n",
    );
    const output = join(dir, "out.ndjson");
    const out = await cli(
      "export",
      "--month",
      "2026-10",
      "--format",
      "ndjson",
      "--output",
      output,
      "--store",
      store,
    );
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /exported 1 events of 2026-10/);
    assert.match(await Deno.readTextFile(output), /"id":"0192aaaa-0000-7000-8000-000000000009"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
