import assert from "node:assert/strict";
import { type BatchStore, QueueFullError, QueueSink } from "./queue.ts";
import type { UsageEvent } from "../events/mod.ts";

const ev = (i: number): UsageEvent => ({
  id: `e${String(i).padStart(6, "0")}`,
  ts: "2026-10-01T00:00:00.000Z",
  tenant_id: "dept_a",
  event_type: "api_call",
  compute_units: 0.001,
});

/** A store that can be failed and paused; records every batch. */
class TestStore implements BatchStore {
  name = "test";
  batches: UsageEvent[][] = [];
  failing = false;
  gate: Promise<void> | null = null;
  closed = false;
  get stored() {
    return this.batches.flat();
  }
  async writeBatch(events: UsageEvent[]) {
    if (this.gate) await this.gate;
    if (this.failing) throw new Error("disk full (test)");
    this.batches.push([...events]);
  }
  close() {
    this.closed = true;
    return Promise.resolve();
  }
}

const quiet = { log: () => {} };

const nextTask = (ms = 0) => new Promise((r) => setTimeout(r, ms));

Deno.test("queue: a full batch goes out on the next task, a partial one after the interval; close drains everything", async () => {
  const store = new TestStore();
  const q = new QueueSink(store, { batchSize: 10, flushIntervalMs: 40, ...quiet });
  for (let i = 0; i < 10; i++) await q.write(ev(i));
  assert.equal(store.batches.length, 0); // not inside the write that filled it
  await nextTask();
  assert.deepEqual(store.batches.map((b) => b.length), [10]);
  for (let i = 10; i < 25; i++) {
    await q.write(ev(i));
    if (i === 19) await nextTask(); // a second full batch
  }
  await nextTask(5);
  assert.deepEqual(store.batches.map((b) => b.length), [10, 10]); // 5 wait for the interval
  await nextTask(80);
  assert.deepEqual(store.batches.map((b) => b.length), [10, 10, 5]);
  await q.write(ev(25));
  const m = await q.close();
  assert.equal(store.stored.length, 26);
  assert.deepEqual(store.stored.map((e) => e.id), Array.from({ length: 26 }, (_, i) => ev(i).id));
  assert.equal(m.flushed, 26);
  assert.equal(m.depth, 0);
  assert.ok(store.closed);
  await assert.rejects(() => q.write(ev(99)), /closed/);
});

Deno.test("queue: shed mode drops, counts and logs when full, never silently", async () => {
  const store = new TestStore();
  let release!: () => void;
  store.gate = new Promise((r) => (release = r));
  const logs: string[] = [];
  const q = new QueueSink(store, {
    capacity: 5,
    batchSize: 1,
    backpressure: "shed",
    log: (m) => logs.push(m),
  });
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => q.write(ev(i))));
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 5);
  const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
  assert.equal(rejected.length, 3);
  assert.ok(rejected.every((r) => r.reason instanceof QueueFullError));
  assert.equal(q.metrics().shed, 3);
  assert.match(logs.join("\n"), /queue full \(5\/5 events.*shed 1 event/);
  release();
  store.gate = null;
  await q.close();
  assert.equal(store.stored.length, 5);
});

Deno.test("queue: block mode makes writers wait for room, and loses nothing", async () => {
  const store = new TestStore();
  let release!: () => void;
  store.gate = new Promise((r) => (release = r));
  const q = new QueueSink(store, { capacity: 4, batchSize: 2, flushIntervalMs: 1, ...quiet });
  let done = 0;
  const writes = Array.from({ length: 12 }, (_, i) => q.write(ev(i)).then(() => done++));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(done, 4);
  assert.equal(q.metrics().blocked, 8);
  release();
  store.gate = null;
  await Promise.all(writes);
  await q.close();
  assert.equal(store.stored.length, 12);
  assert.equal(q.metrics().shed, 0);
});

Deno.test("queue: store errors are retried with backoff, events kept, then all stored", async () => {
  const store = new TestStore();
  store.failing = true;
  const logs: string[] = [];
  const q = new QueueSink(store, {
    batchSize: 5,
    flushIntervalMs: 1,
    retryInitialMs: 2,
    retryMaxMs: 8,
    log: (m) => logs.push(m),
  });
  for (let i = 0; i < 20; i++) await q.write(ev(i));
  await new Promise((r) => setTimeout(r, 40));
  const during = q.metrics();
  assert.ok(during.failed >= 3, `failed ${during.failed}`);
  assert.equal(during.depth, 20);
  assert.match(during.last_error ?? "", /disk full/);
  assert.match(
    logs[0],
    /store test failed \(attempt 1\): disk full \(test\); \d+ event\(s\) kept in memory/,
  );
  store.failing = false;
  await q.flush();
  assert.equal(store.stored.length, 20);
  assert.equal(new Set(store.stored.map((e) => e.id)).size, 20);
  assert.match(logs.at(-1)!, /is back/);
  await q.close();
});

Deno.test("queue: durable writes resolve only once stored, sharing batches (group commit)", async () => {
  const store = new TestStore();
  let release!: () => void;
  store.gate = new Promise((r) => (release = r));
  const q = new QueueSink(store, { durable: true, maxInflightBatches: 1, ...quiet });
  let acked = 0;
  const first = q.write(ev(0)).then(() => acked++);
  const rest = Array.from({ length: 99 }, (_, i) => q.write(ev(i + 1)).then(() => acked++));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(acked, 0); // nothing acknowledged before it is stored
  release();
  store.gate = null;
  await Promise.all([first, ...rest]);
  assert.equal(acked, 100);
  assert.equal(store.batches.length, 2); // 1 event, then the 99 that waited for it
  await q.close();
});

Deno.test("queue: close gives up after its timeout when the store stays down, and says so", async () => {
  const store = new TestStore();
  store.failing = true;
  const logs: string[] = [];
  const q = new QueueSink(store, { retryInitialMs: 1, retryMaxMs: 2, log: (m) => logs.push(m) });
  await q.write(ev(1));
  await q.write(ev(2));
  const m = await q.close({ timeoutMs: 20 });
  assert.equal(m.lost, 2);
  assert.match(logs.join("\n"), /still failing after 20 ms at shutdown.*2 event\(s\) not stored/);
});

Deno.test("queue: durable batches overlap up to maxInflightBatches; flushed counts in order", async () => {
  const gates: Array<() => void> = [];
  const written: string[][] = [];
  const store: BatchStore = {
    name: "gated",
    writeBatch: (events) =>
      new Promise<void>((resolve) => {
        gates.push(() => {
          written.push(events.map((e) => e.id));
          resolve();
        });
      }),
    close: () => Promise.resolve(),
  };
  const q = new QueueSink(store, { durable: true, maxInflightBatches: 3, ...quiet });
  const acks = Array.from({ length: 10 }, (_, i) => q.write(ev(i)));
  await new Promise((r) => setTimeout(r, 1));
  assert.equal(gates.length, 3); // three batches in flight, the rest waiting
  gates[1](); // the second batch finishes first
  await acks[1];
  assert.equal(q.metrics().flushed, 0); // not contiguous yet
  gates[0]();
  await acks[0];
  assert.equal(q.metrics().flushed, 2);
  while (written.length < 10 && gates.length > written.length) {
    for (const open of gates.slice(written.length)) open();
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(acks);
  assert.deepEqual(written.flat().sort(), Array.from({ length: 10 }, (_, i) => ev(i).id));
  await q.close();
  assert.equal(q.metrics().flushed, 10);
});

Deno.test("queue: writeLater counts against capacity now and builds in order when the batch is taken", async () => {
  const store = new TestStore();
  let release!: () => void;
  store.gate = new Promise((r) => (release = r));
  const q = new QueueSink(store, {
    batchSize: 3,
    flushIntervalMs: 60_000,
    capacity: 3,
    backpressure: "shed",
    ...quiet,
  });
  let built = 0;
  const later = (i: number) => () => (built++, ev(i));
  await q.writeLater(later(1));
  await q.write(ev(2));
  assert.equal(built, 0); // waiting: not built yet
  assert.equal(q.writeLater(later(3)), true); // queued at once; the batch is full: it goes out next task
  assert.equal(built, 0);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(built, 2);
  assert.equal(q.depth, 3);
  await assert.rejects(async () => await q.writeLater(later(4)), QueueFullError); // full: shed at once
  assert.equal(built, 2);
  release();
  await q.flush();
  assert.deepEqual(store.stored.map((e) => e.id), ["e000001", "e000002", "e000003"]);
  assert.equal(q.metrics().shed, 1);
  await q.close();
});

Deno.test("queue: a builder that throws loses that event, counted and logged; the rest are stored", async () => {
  const store = new TestStore();
  const logs: string[] = [];
  const q = new QueueSink(store, { flushIntervalMs: 60_000, log: (m) => logs.push(m) });
  await q.write(ev(1));
  await q.writeLater(() => {
    throw new Error("bad clock");
  });
  await q.writeLater(() => ev(3));
  await q.flush(); // resolves: the lost event is not waited for
  const metrics = await q.close();
  assert.deepEqual(store.stored.map((e) => e.id), ["e000001", "e000003"]);
  assert.equal(metrics.lost, 1);
  assert.equal(metrics.flushed, 2);
  assert.match(logs.join("\n"), /could not be built and is lost .*bad clock/);
});

Deno.test("queue: flush waits for an earlier batch still being stored when a later builder threw", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const stored: string[] = [];
  const q = new QueueSink({
    name: "first-batch-slow",
    writeBatch: async (events) => {
      if (events.some((e) => e.id === "e000001")) await gate;
      stored.push(...events.map((e) => e.id));
    },
    close: () => Promise.resolve(),
  }, { batchSize: 1, maxInflightBatches: 2, flushIntervalMs: 60_000, ...quiet });
  await q.write(ev(1));
  let flushed = false;
  const flush = q.flush().then(() => (flushed = true)); // waits for e000001
  q.writeLater(() => {
    throw new Error("bad clock");
  });
  await nextTask(10); // the second batch (nothing left in it) settles at once
  assert.equal(flushed, false, "flush resolved before e000001 was stored");
  release();
  await flush;
  assert.deepEqual(stored, ["e000001"]);
  assert.equal((await q.close()).lost, 1);
});
