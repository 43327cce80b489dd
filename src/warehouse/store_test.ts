import assert from "node:assert/strict";
import { join } from "node:path";
import type { UsageEvent } from "../events/event.ts";
import { removeUnfinishedWrites } from "./store.ts";
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

const STORE_MODULE = new URL("./store.ts", import.meta.url).href;

/**
 * A child process that starts writing `path` through `writePending` (the way every store write
 * makes its files), prints the temporary file's name once it holds some bytes, and is killed
 * there with SIGKILL: the leftover of an import killed mid-write.
 */
async function killedMidWrite(path: string): Promise<string> {
  const code = `
    const { writePending } = await import(${JSON.stringify(STORE_MODULE)});
    await writePending(${JSON.stringify(path)}, async (tmp) => {
      await Deno.writeTextFile(tmp, "PAR1 half a month");
      console.log(tmp);
      await new Promise(() => setInterval(() => {}, 1000)); // never finishes: killed here
    });`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the writer exited before writing: ${text}`);
    text += value;
  }
  child.kill("SIGKILL");
  assert.equal((await child.status).signal, "SIGKILL", "the writer was killed mid-write");
  await reader.cancel();
  return text.trim();
}

Deno.test("a write removes the temporary file an import killed mid-write left, and nothing else", async () => {
  const store = await Deno.makeTempDir();
  const lines: string[] = [];
  const wh = await openWarehouse({ store, log: (line) => lines.push(line) });
  try {
    await wh.append(events("2026-10", 10));
    const month = join(store, "month=2026-10");
    const leftover = await killedMidWrite(join(month, "events.parquet"));
    assert.match(leftover, /month=2026-10\/\.events\.parquet\.tmp-\d+-1$/);
    const quarantined = join(store, "quarantine", ".append-0123.ndjson.tmp-4242-7");
    await Deno.mkdir(join(store, "quarantine"), { recursive: true });
    await Deno.writeTextFile(quarantined, '{"id":"x"}\n');
    // look-alikes that are not writePending's: kept
    const kept = [
      join(month, ".notes"),
      join(month, "events.parquet.tmp-1-2"),
      join(month, ".october.csv.tmp-1-2"),
      join(store, "quarantine", ".october.csv.tmp-1-2"),
      join(store, "_meta", ".ingest.ndjson.tmp-1-2"),
      join(store, ".events.parquet.tmp-1-2"),
    ];
    for (const path of kept) await Deno.writeTextFile(path, "keep");
    await Deno.mkdir(join(month, ".dir.tmp-1-2"));

    await wh.append(events("2026-11", 5));
    await assert.rejects(Deno.stat(leftover), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(quarantined), Deno.errors.NotFound);
    for (const path of kept) assert.equal(await Deno.readTextFile(path), "keep", path);
    assert.ok((await Deno.stat(join(month, ".dir.tmp-1-2"))).isDirectory);
    assert.deepEqual(lines, [
      `${leftover} removed: the temporary file of a write that stopped`,
      `${quarantined} removed: the temporary file of a write that stopped`,
    ]);
    // the month the killed write was replacing is whole
    const october = await wh.usage("2026-10");
    assert.equal(october.reduce((n, r) => n + r.events, 0), 10);
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("the leftover sweep waits for the store's write lock (another write's file is not a leftover)", async () => {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  try {
    await wh.append(events("2026-10", 3));
    // another process's write in progress: it holds the lock while its temporary file exists
    const tmp = join(store, "month=2026-10", ".events.parquet.tmp-4242-1");
    await Deno.writeTextFile(tmp, "being written");
    using lock = await Deno.open(join(store, "_meta", "write.lock"), { write: true });
    await lock.lock(true);
    let finished = false;
    const write = wh.append(events("2026-11", 2)).then((stats) => {
      finished = true;
      return stats;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(finished, false, "the write waits for the lock");
    assert.equal(await Deno.readTextFile(tmp), "being written");
    await lock.unlock();
    assert.equal((await write).stored, 2);
    await assert.rejects(Deno.stat(tmp), Deno.errors.NotFound);
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("removeUnfinishedWrites on a store that does not exist removes nothing and creates nothing", async () => {
  const parent = await Deno.makeTempDir();
  try {
    const store = join(parent, "events");
    assert.deepEqual(await removeUnfinishedWrites(store), []);
    await assert.rejects(Deno.stat(store), Deno.errors.NotFound);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("exportMonth refuses an output inside the store's folders (read as events, or swept as a leftover)", async () => {
  const store = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  try {
    await wh.append(events("2026-10", 4));
    await Deno.symlink(store, join(outside, "link"));
    for (
      const [output, folder] of [
        [join(store, "month=2026-10", "october.parquet"), "month=2026-10"],
        [join(store, "quarantine", "new", "october.ndjson"), "quarantine"],
        [join(store, "wal", "october.ndjson"), "wal"],
        [join(outside, "link", "month=2026-11", "october.csv"), "month=2026-11"],
      ]
    ) {
      await assert.rejects(
        wh.exportMonth("2026-10", "csv", output),
        (error: Error) => {
          assert.equal(error.name, "UserError");
          assert.equal(
            error.message,
            `Cannot export to ${output}: it is inside ${folder}/ of the event store ${store}, where a ` +
              "file could be read as stored events or removed as a stopped write's leftover; " +
              "write it outside the store's folders",
          );
          return true;
        },
      );
    }
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(join(store, "month=2026-10")))).map((e) => e.name),
      ["events.parquet"],
    );
    // directly in the store folder, or beside it under a name that starts like it: outside
    for (const output of [join(store, "october.csv"), `${store}-october.csv`]) {
      assert.equal(await wh.exportMonth("2026-10", "csv", output), 4);
      await Deno.remove(output);
    }
    assert.deepEqual(await wh.months(), ["2026-10"]);
  } finally {
    await wh.close();
    await Deno.remove(store, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
