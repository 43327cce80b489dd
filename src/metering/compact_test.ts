import assert from "node:assert/strict";
import { join } from "node:path";
import { compactWal, type WalWarehouse } from "./compact.ts";
import { isSegmentName, parseWalText, WalStore } from "./wal.ts";
import type { UsageEvent } from "../events/mod.ts";

/** The warehouse contract's dedup-by-id append, in memory. */
export class MemoryWarehouse implements WalWarehouse {
  readonly byId = new Map<string, UsageEvent>();
  appends = 0;
  append(events: UsageEvent[]) {
    this.appends++;
    let stored = 0;
    let duplicates = 0;
    for (const e of events) {
      if (this.byId.has(e.id)) duplicates++;
      else {
        this.byId.set(e.id, e);
        stored++;
      }
    }
    return Promise.resolve({ stored, duplicates, quarantined: 0 });
  }
}

const ev = (i: number, month = "10"): UsageEvent => ({
  id: `e${String(i).padStart(6, "0")}`,
  ts: `2026-${month}-01T00:00:00.000Z`,
  tenant_id: i % 2 ? "dept_a" : "dept_b",
  event_type: "api_call",
  compute_units: 0.001,
});

async function segments(store: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(store, "wal"))) {
    if (e.name.endsWith(".ndjson")) names.push(e.name);
  }
  return names.sort();
}

Deno.test("wal: NDJSON lines, one segment per writer, rotation by size", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store, { segmentBytes: 150 });
    await wal.writeBatch([ev(1), ev(2)]);
    await wal.writeBatch([ev(3)]); // the first segment is over 150 bytes: a new one
    await wal.close();
    const names = await segments(store);
    assert.equal(names.length, 2);
    const all = [];
    for (const name of names) {
      all.push(...parseWalText(await Deno.readTextFile(join(store, "wal", name))).events);
    }
    assert.deepEqual(all, [ev(1), ev(2), ev(3)]);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("compact: finished segments are stored then deleted; re-compaction stores nothing twice", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch([ev(1), ev(2, "11")]);
    await wal.writeBatch([ev(3), ev(1)]); // a retried batch: id e000001 twice
    await wal.close();
    const wh = new MemoryWarehouse();
    const first = await compactWal(store, wh);
    assert.equal(first.read, 4);
    assert.equal(first.stored, 3);
    assert.equal(first.duplicates, 1);
    assert.equal(first.deleted, 1);
    assert.deepEqual(await segments(store), []);
    const again = await compactWal(store, wh);
    assert.equal(again.read, 0);
    assert.equal(again.stored, 0);
    assert.equal(wh.byId.size, 3);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("compact: a live segment is read up to its last full line, kept, and read on from there", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch([ev(1), ev(2)]);
    const live = wal.currentSegment!;
    await Deno.writeTextFile(live, '{"id":"torn', { append: true }); // a write in progress
    const wh = new MemoryWarehouse();
    const a = await compactWal(store, wh);
    assert.deepEqual([a.live, a.deleted, a.stored, a.bad_lines], [1, 0, 2, 0]);
    const b = await compactWal(store, wh); // nothing new: nothing read again
    assert.deepEqual([b.read, b.stored, b.duplicates], [0, 0, 0]);
    // the writer finishes its line and more; the segment is closed
    await Deno.writeTextFile(live, `":1}\n`, { append: true });
    await wal.writeBatch([ev(3)]);
    await wal.close();
    const c = await compactWal(store, wh);
    assert.equal(c.deleted, 1);
    assert.equal(c.stored, 1);
    assert.equal(c.bad_lines, 1); // the hand-made torn line is not an event
    assert.deepEqual([...wh.byId.keys()].sort(), ["e000001", "e000002", "e000003"]);
    assert.deepEqual(await segments(store), []);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("compact: a crash after the warehouse stored but before deletion only yields duplicates", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch([ev(1), ev(2), ev(3)]);
    await wal.close();
    const wh = new MemoryWarehouse();
    await wh.append([ev(1), ev(2), ev(3)]); // as if a compaction died right after append
    const stats = await compactWal(store, wh);
    assert.deepEqual([stats.stored, stats.duplicates, stats.deleted], [0, 3, 1]);
    assert.equal(wh.byId.size, 3);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("compact: a torn tail of a crashed writer's segment is ignored, the rest stored", async () => {
  const store = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(store, "wal"));
    const name = "0199a000-0000-7000-8000-000000000000.ndjson";
    await Deno.writeTextFile(
      join(store, "wal", name),
      JSON.stringify(ev(1)) + "\n" + JSON.stringify(ev(2)) + "\n" + '{"id":"e00',
    );
    const wh = new MemoryWarehouse();
    const stats = await compactWal(store, wh, { maxEventsPerAppend: 1 });
    assert.deepEqual([stats.stored, stats.bad_lines, stats.deleted], [2, 1, 1]);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("compact: a store without a WAL is a no-op", async () => {
  const store = await Deno.makeTempDir();
  try {
    const stats = await compactWal(store, new MemoryWarehouse());
    assert.equal(stats.segments, 0);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("wal: concurrent batches append whole lines in call order, with rotation in between", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store, { segmentBytes: 2000 });
    await Promise.all(
      Array.from({ length: 40 }, (_, b) => wal.writeBatch([ev(2 * b), ev(2 * b + 1)])),
    );
    await wal.close();
    let bad = 0;
    const ids: string[] = [];
    for (const name of await segments(store)) {
      const parsed = parseWalText(await Deno.readTextFile(join(store, "wal", name)));
      bad += parsed.badLines;
      ids.push(...parsed.events.map((e) => e.id));
    }
    assert.equal(bad, 0);
    assert.deepEqual(ids, Array.from({ length: 80 }, (_, i) => ev(i).id));
    assert.ok((await segments(store)).length > 1);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("compact: a WAL segment is locked before compaction can see it (never deleted under its writer)", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch([{
      id: "seg-1",
      ts: "2026-10-01T00:00:00.000Z",
      tenant_id: "dept_a",
      event_type: "api_call",
      compute_units: 0.001,
    }]);
    const names = [...Deno.readDirSync(join(store, "wal"))].map((e) => e.name);
    const segments = names.filter(isSegmentName);
    assert.equal(segments.length, 1, `segments: ${names.join(", ")}`);
    assert.ok(!names.some((n) => n.endsWith(".tmp")), "no pending segment is left behind");
    // the writer already holds the lock on the visible segment: a compactor cannot take it
    const handle = await Deno.open(join(store, "wal", segments[0]), { read: true });
    try {
      assert.equal(await handle.tryLock(true), false);
    } finally {
      handle.close();
    }
    await wal.close();
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("compact: removes an empty segment a killed writer was creating, once old; keeps every other .tmp", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch([ev(1), ev(2)]);
    await wal.close();
    const dir = join(store, "wal");
    const uuid = (n: number) => `0190f5a2-0000-7000-8000-${String(n).padStart(12, "0")}`;
    const abandoned = `${uuid(1)}.ndjson.tmp`; // empty, unlocked, 11 min old: the killed writer's
    const fresh = `${uuid(2)}.ndjson.tmp`; // empty, unlocked, just made: a writer about to lock it
    const creating = `${uuid(3)}.ndjson.tmp`; // empty, old, locked: a writer holds it
    const full = `${uuid(4)}.ndjson.tmp`; // old, with bytes: no writer makes that
    const other = "notes.ndjson.tmp"; // not a segment's name
    for (const name of [abandoned, fresh, creating, other]) {
      await Deno.writeFile(join(dir, name), new Uint8Array());
    }
    await Deno.writeTextFile(join(dir, full), JSON.stringify(ev(9)) + "\n");
    const old = new Date(Date.now() - 11 * 60 * 1000);
    for (const name of [abandoned, creating, full, other]) {
      await Deno.utime(join(dir, name), old, old);
    }
    const writer = await Deno.open(join(dir, creating), { read: true });
    const wh = new MemoryWarehouse();
    const lines: string[] = [];
    // which files compaction opens: a young .tmp must not be (taking its lock would make its
    // writer's own tryLock fail)
    const opened: string[] = [];
    const realOpen = Deno.open;
    Deno.open = (path, options) => {
      opened.push(String(path));
      return realOpen(path, options);
    };
    try {
      assert.equal(await writer.tryLock(true), true);
      let stats;
      try {
        stats = await compactWal(store, wh, { log: (line) => lines.push(line) });
      } finally {
        Deno.open = realOpen;
      }
      assert.ok(!opened.includes(join(dir, fresh)), `opened: ${opened.join(", ")}`);
      assert.ok(opened.includes(join(dir, abandoned)), `opened: ${opened.join(", ")}`);
      assert.equal(stats.abandoned, 1);
      assert.deepEqual(
        [stats.stored, stats.deleted],
        [2, 1],
        "the finished segment is compacted as before",
      );
    } finally {
      writer.close();
    }
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(
      left,
      [".checkpoint.json", ".compact.lock", fresh, creating, full, other].sort(),
    );
    assert.deepEqual([...wh.byId.keys()], [ev(1).id, ev(2).id], "the .tmp with bytes is not read");
    assert.ok(lines.some((l) => l.includes(`removed ${abandoned}`)), lines.join("\n"));
    assert.ok(
      lines.some((l) => l.includes(`${full} holds`) && l.includes("left in place")),
      lines.join("\n"),
    );
    // once its writer is gone, the one that was locked goes too (a clock 11 min on for the fresh one)
    const later = await compactWal(store, wh, { now: () => Date.now() + 11 * 60 * 1000 });
    assert.equal(later.abandoned, 2);
    const after = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(after, [".checkpoint.json", ".compact.lock", full, other].sort());
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("wal: a writer whose lock fails on its new segment (a file system without locks) closes and removes it", async () => {
  const store = await Deno.makeTempDir();
  let closed = 0;
  try {
    const wal = new WalStore(store, {
      createFile: async (path) => {
        const file = await Deno.open(path, { createNew: true, write: true, append: true });
        file.tryLock = () => Promise.reject(new Error("No locks available (os error 37)"));
        const close = file.close.bind(file);
        file.close = () => {
          closed++;
          close();
        };
        return file;
      },
    });
    for (let i = 0; i < 3; i++) await assert.rejects(wal.writeBatch([ev(1)]), /No locks/);
    assert.equal(closed, 3);
    assert.deepEqual([...Deno.readDirSync(join(store, "wal"))].map((e) => e.name), []);
    await wal.close();
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("wal: a writer that cannot lock the segment it created removes it and fails the batch", async () => {
  const store = await Deno.makeTempDir();
  const others: Deno.FsFile[] = [];
  try {
    const wal = new WalStore(store, {
      createFile: async (path) => {
        const file = await Deno.open(path, { createNew: true, write: true, append: true });
        const other = await Deno.open(path, { read: true }); // someone else takes its lock first
        others.push(other);
        assert.equal(await other.tryLock(true), true);
        return file;
      },
    });
    await assert.rejects(wal.writeBatch([ev(1)]), /cannot lock new WAL segment/);
    assert.deepEqual([...Deno.readDirSync(join(store, "wal"))].map((e) => e.name), []);
    await wal.close();
  } finally {
    for (const other of others) other.close();
    await Deno.remove(store, { recursive: true });
  }
});

/** A segment file whose next write, when armed, writes part of its bytes, runs `during`, then fails. */
function failingFiles(during: () => Promise<void>) {
  const control = { armed: false, failures: 0 };
  const createFile = async (path: string): Promise<Deno.FsFile> => {
    const file = await Deno.open(path, { createNew: true, write: true, append: true });
    return new Proxy(file, {
      get(target, prop) {
        if (prop === "write") {
          return async (bytes: Uint8Array) => {
            if (!control.armed) return await target.write(bytes);
            control.armed = false;
            control.failures++;
            // the first line and a bit of the second reach the file, then the disk is full
            const cut = bytes.indexOf(0x0a) + 5;
            await target.write(bytes.subarray(0, cut));
            await during(); // a compaction reads the segment now, partial batch and all
            throw new Error("No space left on device (os error 28)");
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };
  return { control, createFile };
}

Deno.test("wal: after a failed append the next batch goes to a new segment, so no checkpoint points into it", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wh = new MemoryWarehouse();
    const { control, createFile } = failingFiles(async () => {
      await compactWal(store, wh);
    });
    const wal = new WalStore(store, { createFile });
    await wal.writeBatch([ev(1), ev(2)]);
    const first = wal.currentSegment;
    control.armed = true;
    await assert.rejects(wal.writeBatch([ev(3), ev(4), ev(5)]), /No space left/);
    assert.equal(control.failures, 1);
    // the compaction during the failure stored e3 (never acknowledged: harmless, and retried below)
    assert.ok(wh.byId.has("e000003"));
    // other events first, then the retry of the failed batch (the queue retries it)
    await wal.writeBatch([ev(6), ev(7)]);
    assert.notEqual(wal.currentSegment, first, "a new segment after the failed append");
    await wal.writeBatch([ev(3), ev(4), ev(5)]);
    await wal.close();
    const stats = await compactWal(store, wh);
    assert.equal(stats.bad_lines, 0);
    assert.deepEqual(
      [...wh.byId.keys()].sort(),
      ["e000001", "e000002", "e000003", "e000004", "e000005", "e000006", "e000007"],
    );
    assert.deepEqual(await segments(store), []); // both segments compacted and deleted
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
