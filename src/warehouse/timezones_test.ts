import assert from "node:assert/strict";
import { openWarehouse } from "./warehouse.ts";

Deno.test("usage with timeZones bills a tenant's local calendar month", async () => {
  const store = await Deno.makeTempDir();
  const wh = await openWarehouse({ store });
  const ev = (id: string, ts: string, tenant: string) => ({
    id,
    ts,
    tenant_id: tenant,
    event_type: "api_call",
    compute_units: 1,
  });
  try {
    await wh.append([
      ev("a1", "2026-09-30T22:30:00Z", "berlin"), // Oct 1 00:30 in Berlin
      ev("a2", "2026-10-31T23:30:00Z", "berlin"), // Nov 1 00:30 in Berlin
      ev("a3", "2026-10-15T12:00:00Z", "berlin"),
      ev("b1", "2026-09-30T22:30:00Z", "utc_tenant"),
      ev("b2", "2026-10-31T23:30:00Z", "utc_tenant"),
    ]);
    const count = (rows: Array<{ tenant_id: string | null; events: number }>, t: string) =>
      rows.find((r) => r.tenant_id === t)?.events ?? 0;
    const zoned = await wh.usage("2026-10", { timeZones: { berlin: "Europe/Berlin" } });
    assert.equal(count(zoned, "berlin"), 2); // a1, a3
    assert.equal(count(zoned, "utc_tenant"), 1); // b2
    const plain = await wh.usage("2026-10");
    assert.equal(count(plain, "berlin"), 2); // a2, a3
    assert.deepEqual(zoned.map((r) => r.month), ["2026-10", "2026-10"]);
  } finally {
    await wh.close();
  }
});
