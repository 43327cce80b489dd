import assert from "node:assert/strict";
import postgres from "postgres";
import { requires } from "../../test/support/requires.ts";
import { loadPlans, loadTenants } from "../pricing/mod.ts";
import { WalStore } from "../metering/wal.ts";
import { PostgresStore } from "../metering/postgres_sink.ts";
import type { UsageEvent } from "../events/mod.ts";
import { type ApiUsageRow, postgresUsageSource, storeUsageSource, usagePricer } from "./usage.ts";

const data = (name: string) => new URL(`../../data/${name}`, import.meta.url).pathname;

const events: UsageEvent[] = [
  {
    id: "u1",
    ts: "2026-10-02T00:00:00.000Z",
    tenant_id: "dept_a",
    event_type: "api_call",
    compute_units: 0.001,
  },
  {
    id: "u2",
    ts: "2026-10-03T00:00:00.000Z",
    tenant_id: "dept_a",
    event_type: "enkf_run",
    compute_units: 100.5,
  },
  {
    id: "u3",
    ts: "2026-10-03T00:00:00.000Z",
    tenant_id: "dept_b",
    event_type: "enkf_run",
    compute_units: 7,
  },
  {
    id: "u4",
    ts: "2026-11-01T00:00:00.000Z",
    tenant_id: "dept_a",
    event_type: "enkf_run",
    compute_units: 3,
  },
];

/** Rolls events up like the warehouse's usage(month) (exact micro-unit sums). */
function rollup(all: UsageEvent[], month: string): ApiUsageRow[] {
  const rows = new Map<
    string,
    { tenant_id: string | null; event_type: string; events: number; micro: number }
  >();
  for (const e of all.filter((e) => e.ts.startsWith(month))) {
    const key = `${e.tenant_id}\u0000${e.event_type}`;
    const row = rows.get(key) ??
      { tenant_id: e.tenant_id, event_type: e.event_type, events: 0, micro: 0 };
    row.events++;
    row.micro += Math.round(e.compute_units * 1e6);
    rows.set(key, row);
  }
  return [...rows.values()].map((r) => ({
    month,
    tenant_id: r.tenant_id,
    event_type: r.event_type,
    events: r.events,
    compute_units: (r.micro / 1e6).toFixed(6),
  }));
}

Deno.test("usage: the store source flushes, compacts the WAL, and the caller's month is priced on its plan", async () => {
  const store = await Deno.makeTempDir();
  try {
    const wal = new WalStore(store);
    await wal.writeBatch(events);
    await wal.close();
    const stored: UsageEvent[] = [];
    let flushed = 0;
    const source = storeUsageSource({
      store,
      flush: () => Promise.resolve(void flushed++),
      open: () =>
        Promise.resolve({
          append(batch: UsageEvent[]) {
            stored.push(...batch);
            return Promise.resolve({ stored: batch.length, duplicates: 0, quarantined: 0 });
          },
          usage: (month: string) => Promise.resolve(rollup(stored, month)),
          close: () => Promise.resolve(),
        }),
    });
    const price = usagePricer({
      plans: await loadPlans(data("plans.json")),
      tenants: await loadTenants(data("tenants.json")),
      source,
    });
    const report = await price("dept_a", "2026-10");
    assert.equal(flushed, 1);
    assert.equal(stored.length, 4);
    assert.equal(report.plan, "hybrid");
    assert.deepEqual(report.usage, [
      { event_type: "api_call", events: 1, compute_units: "0.001000" },
      { event_type: "enkf_run", events: 1, compute_units: "100.500000" },
    ]);
    // hybrid: $500 + 100.501 units x $0.05 = $505.03 (5.02505 rounds half away to 5.03)
    assert.equal(report.total_minor, 50503);
    assert.equal(report.total, "$505.03");
    const stranger = await price("dept_zz", "2026-10");
    assert.equal(stranger.plan, null);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test({
  name: "usage: the PostgreSQL source sums exactly in SQL, in the tenant's month",
  ...requires("postgres"),
  async fn() {
    const url = Deno.env.get("MB_TEST_PG_URL");
    if (!url) {
      throw new Error(
        'MB_TEST_PG_URL is not set: start the test server with `eval "export MB_TEST_PG_URL=$(.ci/postgres.sh)"`',
      );
    }
    const table = `usage_src_test_${crypto.randomUUID().slice(0, 8)}`;
    const store = new PostgresStore(url, { table });
    const source = postgresUsageSource(url, { table });
    try {
      await store.writeBatch(events);
      const rows = await source.usage("dept_a", "2026-10");
      assert.deepEqual(rows.map((r) => [r.event_type, r.events, r.compute_units]), [
        ["api_call", 1, "0.001000"],
        ["enkf_run", 1, "100.500000"],
      ]);
      // in UTC-10 the November 1st 00:00Z event belongs to October
      const local = await source.usage("dept_a", "2026-10", "Pacific/Honolulu");
      assert.deepEqual(local.map((r) => [r.event_type, r.events]), [["api_call", 1], [
        "enkf_run",
        2,
      ]]);
    } finally {
      await store.close();
      await source.close?.();
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
      await sql.end();
    }
  },
});
