import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { loadPlans, loadTenants, parseTenants, type PricingUsageRow } from "../pricing/mod.ts";
import {
  billingPeriod,
  buildInvoices,
  formatInvoiceTable,
  formatTierFitTable,
  invoiceNumber,
  invoicesCsv,
  invoicesJson,
} from "./mod.ts";

const DATA = new URL("../../data/", import.meta.url).pathname;
const plans = await loadPlans(`${DATA}plans.json`);
const tenants = await loadTenants(`${DATA}tenants.json`);

const row = (
  tenant_id: string | null,
  event_type: string,
  events: number,
  compute_units: string,
): PricingUsageRow => ({
  month: "2026-10",
  tenant_id,
  event_type,
  events,
  compute_units,
});

const USAGE: PricingUsageRow[] = [
  row(null, "unauthenticated", 7, "0.000000"),
  row("dept_a", "api_call", 140, "0.770000"),
  row("dept_a", "enkf_run", 40, "220.125000"),
  row("dept_b", "enkf_run", 10, "20.100000"),
  row("dept_e", "enkf_run", 12, "60.000000"),
  row("ghost", "api_call", 3, "0.015000"),
  row("ghost", "enkf_run", 1, "5.500000"),
];

Deno.test("numbers invoices {prefix}-{YYYYMM}-{tenant_id}, one per tenant, sorted", () => {
  const run = buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants, prefix: "MB" });
  assert.deepEqual(run.invoices.map((i) => i.number), [
    "MB-202610-dept_a",
    "MB-202610-dept_b",
    "MB-202610-dept_c",
    "MB-202610-dept_d",
    "MB-202610-dept_e",
  ]);
  assert.equal(invoiceNumber("INV", "2026-01", "t1"), "INV-202601-t1");
  assert.throws(() => invoiceNumber("a b", "2026-01", "t1"), UserError);
});

Deno.test("bills the calendar month: first and last day, leap years included", () => {
  assert.deepEqual(billingPeriod("2026-10"), {
    period_start: "2026-10-01",
    period_end: "2026-10-31",
  });
  assert.deepEqual(billingPeriod("2028-02"), {
    period_start: "2028-02-01",
    period_end: "2028-02-29",
  });
  assert.throws(() => billingPeriod("2026-13"), /expected YYYY-MM/);
  const run = buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants });
  const e = run.invoices.find((i) => i.tenant_id === "dept_e")!;
  assert.equal(e.period_start, "2026-10-01");
  assert.equal(e.period_end, "2026-10-31");
  assert.equal(run.summary.find((s) => s.tenant_id === "dept_e")!.time_zone, "America/Chicago");
});

Deno.test("writes the issue's invoice shape, prices worked out by hand", () => {
  const run = buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants });
  const a = run.invoices[0];
  // hybrid: $500 + 220.895 x 0.05 = 11.04475 -> $11.04
  assert.deepEqual(a, {
    number: "INV-202610-dept_a",
    tenant_id: "dept_a",
    plan: "hybrid",
    currency: "USD",
    period_start: "2026-10-01",
    period_end: "2026-10-31",
    lines: [
      { description: "Base fee", quantity: "1", unit_price: "500.00", amount_minor: 50000 },
      {
        description: "Compute units",
        quantity: "220.895",
        unit_price: "0.05",
        amount_minor: 1104,
        stripe_meter: {
          event_name: "compute_units",
          measure: "compute_units",
          quantity: "220.895",
        },
      },
    ],
    subtotal_minor: 51104,
    total_minor: 51104,
  });
  // dept_b hybrid: 20.1 x 0.05 = 1.005 -> $1.01 (half up)
  assert.equal(run.invoices[1].total_minor, 50101);
  // dept_e usage plan: 12 EnKF runs x $0.10
  assert.equal(run.invoices[4].total_minor, 120);
});

Deno.test("stripe_meter: a metered line names its Stripe meter and the full metered quantity", () => {
  const usage = [
    row("dept_a", "enkf_run", 40, "220.125000"),
    row("dept_d", "enkf_run", 9, "620.500000"),
    row("dept_d", "api_call", 100, "0.100000"),
    row("dept_e", "enkf_run", 12, "60.000000"),
    row("dept_e", "api_call", 5, "0.005000"),
  ];
  const run = buildInvoices({ month: "2026-10", usage, plans, tenants });
  const line = (tenant: string, index: number) =>
    run.invoices.find((i) => i.tenant_id === tenant)!.lines[index];
  // flat fees name no meter
  assert.equal(line("dept_a", 0).stripe_meter, undefined);
  // included: the line bills the overage, Stripe receives every unit (its price has the free tier)
  assert.equal(line("dept_d", 1).quantity, "120.6");
  assert.deepEqual(line("dept_d", 1).stripe_meter, {
    event_name: "compute_units",
    measure: "compute_units",
    quantity: "620.6",
  });
  // an event count of one event type
  assert.deepEqual(line("dept_e", 0).stripe_meter, {
    event_name: "enkf_runs",
    measure: "events",
    quantity: "12",
  });
  // a tenant without usage still says what its meters read: 0
  assert.deepEqual(line("dept_c", 1).stripe_meter?.quantity, "0");
});

Deno.test("gives a tenant without usage an invoice with its fixed fees", () => {
  const run = buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants });
  const c = run.invoices.find((i) => i.tenant_id === "dept_c")!;
  assert.equal(c.total_minor, 50000);
  const d = run.invoices.find((i) => i.tenant_id === "dept_d")!;
  assert.equal(d.plan, "professional");
  assert.equal(d.total_minor, 150000);
});

Deno.test("shows usage of tenants missing from the tenants file as unbilled, never dropped", () => {
  const run = buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants });
  assert.deepEqual(run.unbilled, [{
    tenant_id: "ghost",
    events: 4,
    compute_units: "5.515",
    by_event_type: [
      { event_type: "api_call", events: 3, compute_units: "0.015" },
      { event_type: "enkf_run", events: 1, compute_units: "5.5" },
    ],
  }]);
  assert.ok(
    run.warnings.some((w) => w.includes('tenant "ghost"') && w.includes("not in the tenants file")),
  );
  assert.match(formatInvoiceTable(run), /ghost \(unbilled\)\s+5\.515\s+-\s+-\s+-/);
  assert.deepEqual(run.unauthenticated, { events: 7, compute_units: "0" });
});

Deno.test("warns about a month with no events and bills fixed fees only", () => {
  const run = buildInvoices({ month: "2026-11", usage: [], plans, tenants });
  assert.equal(run.invoices.length, 5);
  assert.deepEqual(run.invoices.map((i) => i.total_minor), [50000, 50000, 50000, 150000, 0]);
  assert.equal(run.warnings.length, 1);
  assert.match(run.warnings[0], /^no usage events from any tenant in 2026-11/);
});

Deno.test("tier fit: prices each tenant under the three tiers and names the cheapest", () => {
  const usage = [row("dept_a", "enkf_run", 40, "3000"), row("dept_b", "enkf_run", 10, "600")];
  const run = buildInvoices({ month: "2026-10", usage, plans, tenants });
  const a = run.tier_fit.find((r) => r.tenant_id === "dept_a")!;
  // starter 500 + 2900 x 0.10 = 790; professional 1500 + 2500 x 0.05 = 1625; enterprise 4000 + 1000 x 0.03 = 4030
  assert.deepEqual(a.costs, { starter: 79000, professional: 162500, enterprise: 403000 });
  assert.equal(a.cheapest, "starter");
  assert.equal(a.current_total_minor, 65000); // hybrid 500 + 3000 x 0.05
  assert.equal(a.saving_minor, 65000 - 79000);
  const b = run.tier_fit.find((r) => r.tenant_id === "dept_b")!;
  // starter 500 + 500 x 0.10 = 550; professional 1500 + 100 x 0.05 = 1505
  assert.deepEqual(b.costs, { starter: 55000, professional: 150500, enterprise: 400000 });
  const table = formatTierFitTable(run);
  assert.match(
    table,
    /^Tenant\s+Plan\s+Current \(\$\)\s+starter \(\$\)\s+professional \(\$\)\s+enterprise \(\$\)\s+Cheapest\s+Saving \(\$\)/,
  );
  assert.match(
    table,
    /dept_a\s+hybrid\s+650\.00\s+790\.00\s+1,625\.00\s+4,030\.00\s+starter\s+-140\.00/,
  );
});

Deno.test("prints the seed's table: Tenant, Compute units, Base ($), Usage ($), Total ($)", () => {
  const run = buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants });
  const lines = formatInvoiceTable(run).split("\n");
  assert.match(lines[0], /^Tenant\s+Compute units\s+Base \(\$\)\s+Usage \(\$\)\s+Total \(\$\)$/);
  assert.match(lines[2], /^dept_a\s+220\.895\s+500\.00\s+11\.04\s+511\.04$/);
  assert.match(lines[3], /^dept_b\s+20\.1\s+500\.00\s+1\.01\s+501\.01$/);
});

Deno.test("refuses a tenant whose plan is unknown, naming it", () => {
  const bad = parseTenants({
    tenants: {
      x1: { name: "X", plan: "gold", currency: "USD", billing: { address: "a", email: "a@b.org" } },
    },
  });
  assert.throws(
    () => buildInvoices({ month: "2026-10", usage: [], plans, tenants: bad }),
    /tenants.x1.plan: unknown plan "gold"/,
  );
});

Deno.test("gives the same bytes for the same input (deterministic JSON)", () => {
  const a = invoicesJson(buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants }));
  const b = invoicesJson(
    buildInvoices({ month: "2026-10", usage: [...USAGE].reverse(), plans, tenants }),
  );
  assert.equal(a, b);
  const parsed = JSON.parse(a);
  assert.deepEqual(Object.keys(parsed), [
    "month",
    "invoices",
    "tier_fit",
    "summary",
    "unbilled",
    "unauthenticated",
    "warnings",
  ]);
  assert.equal(typeof parsed.invoices[0].total_minor, "number");
});

Deno.test("writes invoices.csv: a header, one row per line, RFC 4180 quoting, CRLF", () => {
  const run = buildInvoices({ month: "2026-10", usage: USAGE, plans, tenants });
  run.invoices[0].lines[0].description = 'Base fee, "October"';
  run.invoices[0].lines[1].description = '=HYPERLINK("x")';
  const csv = invoicesCsv(run.invoices);
  const rows = csv.split("\r\n");
  assert.equal(
    rows[0],
    "invoice_number,tenant_id,plan,currency,period_start,period_end,line,description,quantity,unit_price,amount_minor,amount",
  );
  assert.equal(
    rows[1],
    'INV-202610-dept_a,dept_a,hybrid,USD,2026-10-01,2026-10-31,1,"Base fee, ""October""",1,500.00,50000,500.00',
  );
  assert.equal(
    rows[2],
    `INV-202610-dept_a,dept_a,hybrid,USD,2026-10-01,2026-10-31,2,"'=HYPERLINK(""x"")",220.895,0.05,1104,11.04`,
  );
  const lineCount = run.invoices.reduce((n, i) => n + i.lines.length, 0);
  assert.equal(rows.length, 1 + lineCount + 1); // header, lines, trailing empty after the last CRLF
  assert.equal(rows.at(-1), "");
});
