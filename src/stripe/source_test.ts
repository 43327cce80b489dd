import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { buildInvoices } from "../invoices/build.ts";
import { parsePlans, parseTenants } from "../pricing/load.ts";
import { stripeMeterQuantities } from "./source.ts";

const plans = parsePlans(JSON.parse(await Deno.readTextFile("data/plans.json")));
const tenants = parseTenants(JSON.parse(await Deno.readTextFile("data/tenants.json")));
const row = (tenant_id: string | null, event_type: string, events: number, units: string) => ({
  month: "2026-10",
  tenant_id,
  event_type,
  events,
  compute_units: units,
});

Deno.test("source: one quantity per invoiced tenant with a customer id and Stripe meter line", () => {
  const run = buildInvoices({
    month: "2026-10",
    usage: [
      row("dept_a", "enkf_run", 40, "220.125000"),
      row("dept_a", "api_call", 900, "0.900000"),
      row("dept_b", "enkf_run", 3, "12.000500"),
      row("dept_d", "enkf_run", 9, "99.000000"),
      row(null, "unauthenticated", 5, "0.000000"),
    ],
    plans,
    tenants,
  });
  const { quantities, notes } = stripeMeterQuantities({ invoices: run, tenants });
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

Deno.test("source: an included charge pushes the full metered quantity, not the invoiced overage", () => {
  const withCustomer = parseTenants({
    tenants: {
      dept_d: {
        name: "D",
        plan: "professional",
        currency: "USD",
        billing: { address: "x", email: "d@example.org" },
        stripe_customer_id: "cus_d",
      },
    },
  });
  const run = buildInvoices({
    month: "2026-10",
    usage: [row("dept_d", "enkf_run", 9, "620.500000")],
    plans,
    tenants: withCustomer,
  });
  assert.equal(run.invoices[0].lines[1].quantity, "120.5", "the invoice line bills the overage");
  const { quantities } = stripeMeterQuantities({ invoices: run, tenants: withCustomer });
  assert.equal(quantities[0].quantity, "620.5");
});

Deno.test("source: event counts are x1 and the invoices' time zone is carried", () => {
  const { quantities } = stripeMeterQuantities({
    invoices: {
      invoices: [{
        tenant_id: "dept_e",
        lines: [{}, {
          stripe_meter: { event_name: "enkf_runs", measure: "events", quantity: "7" },
        }],
      }],
      summary: [{ tenant_id: "dept_e", time_zone: "America/Chicago" }],
    },
    tenants: { dept_e: { ...tenants.dept_e, stripe_customer_id: "cus_e" } },
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
});

Deno.test("source: the customer id comes from the tenants file, not from the invoices", () => {
  const run = buildInvoices({ month: "2026-10", usage: [], plans, tenants });
  const moved = { ...tenants, dept_a: { ...tenants.dept_a, stripe_customer_id: "cus_new_a" } };
  const { quantities } = stripeMeterQuantities({ invoices: run, tenants: moved });
  assert.equal(quantities[0].stripe_customer_id, "cus_new_a");
});

Deno.test("source: an invoiced tenant missing from the tenants file is an error, never a skip", () => {
  const run = buildInvoices({ month: "2026-10", usage: [], plans, tenants });
  const { dept_b: _gone, ...rest } = tenants;
  assert.throws(
    () =>
      stripeMeterQuantities({
        invoices: run,
        tenants: rest,
        files: { invoices: "reports/2026-10/invoices.json", tenants: "data/tenants.json" },
      }),
    (error: unknown) =>
      error instanceof UserError &&
      /tenant "dept_b" is invoiced in reports\/2026-10\/invoices\.json but is not in data\/tenants\.json/
        .test(error.message),
  );
});

Deno.test("source: invoices without any stripe_meter (an old file) are refused: pushing them would cancel everything", () => {
  assert.throws(
    () =>
      stripeMeterQuantities({
        invoices: { invoices: [{ tenant_id: "dept_a", lines: [{}, {}] }], summary: [] },
        tenants,
        files: { invoices: "reports/2026-10/invoices.json" },
        month: "2026-10",
      }),
    (error: unknown) =>
      error instanceof UserError &&
      error.message ===
        "no invoice line in reports/2026-10/invoices.json names a Stripe meter (stripe_meter), " +
          "so nothing was pushed: the file predates stripe_meter, or no plan charge has an " +
          "event_name; rerun `deno task invoice --month 2026-10` to write the meters",
  );
});
