import assert from "node:assert/strict";
import { parsePlans, parseTenants } from "../pricing/load.ts";
import { stripeMeterQuantities } from "./source.ts";

Deno.test("meterQuantities: one per tenant with a customer id and metered charge with event_name", async () => {
  const plans = parsePlans(JSON.parse(await Deno.readTextFile("data/plans.json")));
  const tenants = parseTenants(JSON.parse(await Deno.readTextFile("data/tenants.json")));
  const usage = [
    {
      month: "2026-10",
      tenant_id: "dept_a",
      event_type: "enkf_run",
      events: 40,
      compute_units: "220.125000",
    },
    {
      month: "2026-10",
      tenant_id: "dept_a",
      event_type: "api_call",
      events: 900,
      compute_units: "0.900000",
    },
    {
      month: "2026-10",
      tenant_id: "dept_b",
      event_type: "enkf_run",
      events: 3,
      compute_units: "12.000500",
    },
    {
      month: "2026-10",
      tenant_id: "dept_d",
      event_type: "enkf_run",
      events: 9,
      compute_units: "99.000000",
    },
    {
      month: "2026-10",
      tenant_id: null,
      event_type: "unauthenticated",
      events: 5,
      compute_units: "0.000000",
    },
  ];
  const { quantities, notes } = stripeMeterQuantities({ usage, plans, tenants });
  assert.deepEqual(
    quantities.map((x) => [x.tenant_id, x.stripe_customer_id, x.event_name, x.quantity, x.scale]),
    [
      ["dept_a", "cus_demo_a", "compute_units", "221.025", 1000],
      ["dept_b", "cus_demo_b", "compute_units", "12.0005", 1000],
      ["dept_c", "cus_demo_c", "compute_units", "0", 1000],
    ],
  );
  assert.ok(notes.some((n) => n.startsWith("dept_d: no stripe_customer_id")));
  assert.ok(notes.some((n) => n.startsWith("dept_e: no stripe_customer_id")));
});

Deno.test("meterQuantities: event counts are x1, time zones are carried", () => {
  const plans = parsePlans({
    plans: {
      usage: {
        currency: "USD",
        charges: [{
          type: "per_unit",
          meter: { measure: "events", event_type: "enkf_run" },
          unit_price: "0.10",
          event_name: "enkf_runs",
        }, { type: "per_unit", meter: { measure: "compute_units" }, unit_price: "0.01" }],
      },
    },
  });
  const tenants = parseTenants({
    tenants: {
      dept_e: {
        name: "E",
        plan: "usage",
        currency: "USD",
        billing: { address: "x", email: "e@example.org" },
        time_zone: "America/Chicago",
        stripe_customer_id: "cus_e",
      },
    },
  });
  const { quantities, notes } = stripeMeterQuantities({
    usage: [{ tenant_id: "dept_e", event_type: "enkf_run", events: 7, compute_units: "1.5" }],
    plans,
    tenants,
  });
  assert.deepEqual(quantities, [{
    tenant_id: "dept_e",
    stripe_customer_id: "cus_e",
    meter: "enkf_runs",
    event_name: "enkf_runs",
    quantity: "7",
    scale: 1,
    time_zone: "America/Chicago",
  }]);
  assert.match(notes[0], /charge 2 \(per_unit\) has no event_name/);
});
