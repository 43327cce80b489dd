import assert from "node:assert/strict";
import type { Tenants } from "../pricing/types.ts";
import { type CompareSourceRow, compareUsage } from "./usage.ts";

function tenant(id: string, time_zone?: string): Tenants[string] {
  return {
    id,
    name: id,
    plan: "hybrid",
    currency: "USD",
    billing: { address: "-", email: "a@b.example" },
    ...(time_zone ? { time_zone } : {}),
  };
}

/** Records the calls; serves one row per month asked for. */
function source(months: string[]) {
  const calls: string[] = [];
  const row = (month: string): CompareSourceRow => ({
    tenant_id: "chi",
    event_type: "enkf_run",
    events: 1,
    compute_units: month === "2026-09" ? "1000.000000" : "100.000000",
  });
  return {
    calls,
    months: () => Promise.resolve(months),
    usage: (month: string, options?: { timeZones?: Record<string, string> }) => {
      calls.push(`usage ${month} ${JSON.stringify(options?.timeZones ?? {})}`);
      return Promise.resolve([row(month)]);
    },
    usageByMonth: (options?: { from?: string; to?: string }) => {
      calls.push(`usageByMonth ${options?.from ?? ""}..${options?.to ?? ""}`);
      return Promise.resolve(months.map((m) => ({ ...row(m), month: m })));
    },
  };
}

Deno.test("compareUsage: zoned tenants are read month by month in their zone, as invoices read them", async () => {
  const src = source(["2026-09", "2026-10", "2027-02"]);
  const rows = await compareUsage(src, {
    tenants: { chi: tenant("chi", "America/Chicago"), utc: tenant("utc") },
  });
  // Months no partition can reach (2026-12) are skipped; each month carries its own label; the
  // default range starts a month early: Chicago's August can hold events of 1 September UTC.
  assert.deepEqual(src.calls, [
    'usage 2026-08 {"chi":"America/Chicago"}',
    'usage 2026-09 {"chi":"America/Chicago"}',
    'usage 2026-10 {"chi":"America/Chicago"}',
    'usage 2026-11 {"chi":"America/Chicago"}',
    'usage 2027-01 {"chi":"America/Chicago"}',
    'usage 2027-02 {"chi":"America/Chicago"}',
  ]);
  assert.deepEqual(rows.map((r) => r.month), [
    "2026-08",
    "2026-09",
    "2026-10",
    "2026-11",
    "2027-01",
    "2027-02",
  ]);
  // An explicit range is read as given.
  src.calls.length = 0;
  await compareUsage(src, {
    tenants: { chi: tenant("chi", "America/Chicago") },
    from: "2026-09",
    to: "2026-10",
  });
  assert.deepEqual(src.calls, [
    'usage 2026-09 {"chi":"America/Chicago"}',
    'usage 2026-10 {"chi":"America/Chicago"}',
  ]);
});

Deno.test("compareUsage: without any zoned tenant, one UTC rollup over the range", async () => {
  const src = source(["2026-09", "2026-10"]);
  const rows = await compareUsage(src, { tenants: { utc: tenant("utc") }, to: "2026-10" });
  assert.deepEqual(src.calls, ["usageByMonth ..2026-10"]);
  assert.equal(rows.length, 2);
});
