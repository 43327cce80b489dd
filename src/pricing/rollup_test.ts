import assert from "node:assert/strict";
import { usageFromEvents } from "./mod.ts";

Deno.test("rolls events up per month, tenant and event type, summing compute units exactly", () => {
  const ev = (
    id: string,
    ts: string,
    tenant_id: string | null,
    event_type: string,
    cu: number,
  ) => ({
    id,
    ts,
    tenant_id,
    event_type,
    compute_units: cu,
  });
  const rows = usageFromEvents([
    ev("1", "2026-10-01T00:00:00.000Z", "dept_b", "api_call", 0.1),
    ev("2", "2026-10-31T23:59:59.999Z", "dept_b", "api_call", 0.2),
    ev("3", "2026-10-02T00:00:00.000Z", "dept_a", "enkf_run", 1.0000005),
    ev("4", "2026-11-01T00:00:00.000Z", "dept_a", "enkf_run", 3),
    ev("5", "2026-10-05T00:00:00.000Z", null, "unauthenticated", 0),
  ]);
  assert.deepEqual(rows, [
    {
      month: "2026-10",
      tenant_id: null,
      event_type: "unauthenticated",
      events: 1,
      compute_units: "0.000000",
    },
    {
      month: "2026-10",
      tenant_id: "dept_a",
      event_type: "enkf_run",
      events: 1,
      compute_units: "1.000001",
    },
    // 0.1 + 0.2 is 0.30000000000000004 in floats; exactly 0.3 here
    {
      month: "2026-10",
      tenant_id: "dept_b",
      event_type: "api_call",
      events: 2,
      compute_units: "0.300000",
    },
    {
      month: "2026-11",
      tenant_id: "dept_a",
      event_type: "enkf_run",
      events: 1,
      compute_units: "3.000000",
    },
  ]);
});
