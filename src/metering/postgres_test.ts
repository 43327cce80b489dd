import assert from "node:assert/strict";
import postgres from "postgres";
import { requires } from "../../test/support/requires.ts";
import { PostgresStore } from "./postgres_sink.ts";
import { readPostgresMonth } from "./postgres_source.ts";
import { QueueSink } from "./queue.ts";
import type { UsageEvent } from "../events/mod.ts";

/** The server URL, or a failure that says how to start one. */
function pgUrl(): string {
  const url = Deno.env.get("MB_TEST_PG_URL");
  if (!url) {
    throw new Error(
      'MB_TEST_PG_URL is not set: start the test server with `eval "export MB_TEST_PG_URL=$(.ci/postgres.sh)"` ' +
        "(PostgreSQL 15 on 127.0.0.1:55432), then run the tests again",
    );
  }
  return url;
}

const events: UsageEvent[] = [
  {
    id: "0199a000-0000-7000-8000-000000000001",
    ts: "2026-10-01T00:00:00.000Z",
    tenant_id: "dept_a",
    event_type: "api_call",
    compute_units: 0.001,
    endpoint: "/v1/jobs/:id",
    method: "GET",
    status_code: 200,
    duration_ms: 1.25,
  },
  {
    id: "0199a000-0000-7000-8000-000000000002",
    ts: "2026-10-31T23:59:59.999Z",
    tenant_id: "dept_b",
    event_type: "enkf_run",
    compute_units: 12.345678,
    n_particles: 200,
    n_steps: 365,
    compute_seconds: 0.169,
    status: "ok",
  },
  {
    id: "0199a000-0000-7000-8000-000000000003",
    ts: "2026-10-15T12:00:00.500Z",
    tenant_id: null,
    event_type: "unauthenticated",
    compute_units: 0,
    endpoint: null,
    method: "POST",
    status_code: 401,
    duration_ms: 0.05,
  },
  {
    id: "0199a000-0000-7000-8000-000000000004",
    ts: "2026-11-01T00:00:00.000Z", // next month
    tenant_id: "dept_a",
    event_type: "api_call",
    compute_units: 0.001,
  },
];

Deno.test({
  name:
    "postgres: the sink stores a month once (ON CONFLICT DO NOTHING) and the source reads it back",
  ...requires("postgres"),
  async fn() {
    const url = pgUrl();
    const table = `usage_events_test_${crypto.randomUUID().slice(0, 8)}`;
    const queue = new QueueSink(new PostgresStore(url, { table, rowsPerInsert: 2 }), {
      batchSize: 3,
      flushIntervalMs: 5,
      log: () => {},
    });
    try {
      for (const e of events) await queue.write(e);
      await queue.write(events[0]); // a retried event: stored once
      await queue.close();
      const october = await readPostgresMonth(url, "2026-10", { table });
      const expected = [events[0], events[2], events[1]].map((e) => {
        const copy: Record<string, unknown> = { ...e };
        for (const k of Object.keys(copy)) {
          if (copy[k] === null && k !== "tenant_id") delete copy[k];
        }
        return copy;
      });
      assert.deepEqual(october, expected);
      assert.deepEqual((await readPostgresMonth(url, "2026-11", { table })).map((e) => e.id), [
        events[3].id,
      ]);
      assert.deepEqual(await readPostgresMonth(url, "2026-09", { table }), []);
    } finally {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
      await sql.end();
    }
  },
});

Deno.test({
  name: "postgres: a missing table is a user error that says who creates it",
  ...requires("postgres"),
  async fn() {
    await assert.rejects(
      () => readPostgresMonth(pgUrl(), "2026-10", { table: "no_such_table_here" }),
      /table "no_such_table_here" does not exist/,
    );
  },
});

Deno.test("postgres: a server that is down fails the batch (the queue retries it) without hanging", async () => {
  const store = new PostgresStore("postgres://u:secret@127.0.0.1:9/db", { connectTimeout: 2 });
  assert.doesNotMatch(store.name, /secret/);
  await assert.rejects(() => store.writeBatch(events.slice(0, 1)));
  await store.close();
});
