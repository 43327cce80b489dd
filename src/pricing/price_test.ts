import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { definePlan, loadPlans, meterQuantity, priceUsage, type PricingUsageRow } from "./mod.ts";

/** One tenant's usage: compute units on enkf_run, plus api calls. */
function usage(computeUnits: string, enkfRuns = 0, apiCalls = 0): PricingUsageRow[] {
  return [
    {
      month: "2026-10",
      tenant_id: "t1",
      event_type: "api_call",
      events: apiCalls,
      compute_units: "0",
    },
    {
      month: "2026-10",
      tenant_id: "t1",
      event_type: "enkf_run",
      events: enkfRuns,
      compute_units: computeUnits,
    },
  ];
}

const amounts = (rows: { amount_minor: number }[]) => rows.map((r) => r.amount_minor);
const plans = await loadPlans(new URL("../../data/plans.json", import.meta.url).pathname);

function plan(charges: unknown[], currency = "USD") {
  return definePlan("test", { currency, charges });
}

const CU = { measure: "compute_units" };
const TIERS = [
  { up_to: "1000", unit_price: "0.10" },
  { up_to: "5000", unit_price: "0.05" },
  { up_to: "inf", unit_price: "0.01" },
];

// --- meters

Deno.test("meters sum compute units, count events of a type, or count all events", () => {
  const rows: PricingUsageRow[] = [
    { tenant_id: "t1", event_type: "api_call", events: 140, compute_units: "0.770000" },
    { tenant_id: "t1", event_type: "enkf_run", events: 40, compute_units: "220.125000" },
    { tenant_id: null, event_type: "unauthenticated", events: 9, compute_units: "1.000000" },
  ];
  assert.equal(meterQuantity({ measure: "compute_units" }, rows), "220.895");
  assert.equal(meterQuantity({ measure: "compute_units", event_type: "api_call" }, rows), "0.77");
  assert.equal(meterQuantity({ measure: "events", event_type: "enkf_run" }, rows), "40");
  assert.equal(meterQuantity({ measure: "events" }, rows), "180"); // unauthenticated never count
});

Deno.test("meters refuse negative usage (a credit is a discount charge, not negative units)", () => {
  const hybrid = plans.hybrid;
  assert.throws(
    () => priceUsage(hybrid, usage("-100")),
    (error: unknown) =>
      error instanceof UserError &&
      error.message === "compute_units of t1/enkf_run: must be >= 0, got -100",
  );
  assert.throws(
    () =>
      meterQuantity({ measure: "events" }, [{
        tenant_id: "t1",
        event_type: "x",
        events: -1,
        compute_units: "0",
      }]),
    UserError,
  );
});

// --- flat fee

Deno.test("charges a flat fee whatever the usage, zero usage included", () => {
  assert.deepEqual(amounts(priceUsage(plans.flat, usage("0")).lines), [200000]);
  assert.deepEqual(amounts(priceUsage(plans.flat, usage("99999.5", 5000)).lines), [200000]);
});

// --- per unit

Deno.test("prices $0.10 per EnKF run (usage plan)", () => {
  const priced = priceUsage(plans.usage, usage("500", 37, 1000));
  assert.equal(priced.lines[0].quantity, "37");
  assert.equal(priced.total_minor, 370); // 37 x $0.10
});

Deno.test("prices hybrid as $500 plus $0.05 per compute unit, rounded once", () => {
  // 1234.5678 x 0.05 = 61.72839 -> $61.73
  const priced = priceUsage(plans.hybrid, usage("1234.567800"));
  assert.deepEqual(amounts(priced.lines), [50000, 6173]);
  assert.equal(priced.total_minor, 56173);
  assert.equal(priced.lines[1].quantity, "1234.5678");
  assert.equal(priced.lines[1].unit_price, "0.05");
});

Deno.test("rounds half a cent up on a usage line (x.xx5)", () => {
  // 20.1 x 0.05 = 1.005 exactly -> $1.01; 0.1 x 0.05 = 0.005 -> $0.01
  assert.equal(priceUsage(plans.hybrid, usage("20.1")).lines[1].amount_minor, 101);
  assert.equal(priceUsage(plans.hybrid, usage("0.1")).lines[1].amount_minor, 1);
  // 0.09 x 0.05 = 0.0045 -> $0.00
  assert.equal(priceUsage(plans.hybrid, usage("0.09")).lines[1].amount_minor, 0);
});

Deno.test("prices zero usage at zero with a zero line kept on the invoice", () => {
  const priced = priceUsage(plans.hybrid, []);
  assert.deepEqual(amounts(priced.lines), [50000, 0]);
  assert.equal(priced.lines[1].quantity, "0");
  assert.equal(priceUsage(plans.usage, []).total_minor, 0);
});

// --- included + overage

Deno.test("charges no overage at exactly the included units (Starter, 100)", () => {
  const priced = priceUsage(plans.starter, usage("100"));
  assert.deepEqual(amounts(priced.lines), [50000, 0]);
  assert.equal(priced.lines[1].quantity, "0");
});

Deno.test("charges one unit over the included units at the overage price", () => {
  assert.equal(priceUsage(plans.starter, usage("101")).total_minor, 50010); // 1 x $0.10
  assert.equal(priceUsage(plans.professional, usage("501")).total_minor, 150005); // 1 x $0.05
  assert.equal(priceUsage(plans.enterprise, usage("2001")).total_minor, 400003); // 1 x $0.03
});

Deno.test("prices a fractional overage exactly and rounds once", () => {
  // Starter: 100.05 used -> 0.05 over x 0.10 = 0.005 -> $0.01
  assert.equal(priceUsage(plans.starter, usage("100.05")).total_minor, 50001);
  // Enterprise: 2345.678901 -> 345.678901 x 0.03 = 10.37036703 -> $10.37
  const priced = priceUsage(plans.enterprise, usage("2345.678901"));
  assert.equal(priced.lines[1].quantity, "345.678901");
  assert.equal(priced.total_minor, 401037);
  assert.match(priced.lines[1].description, /over 2,000 included \(2,345.678901 used\)/);
});

// --- graduated

Deno.test("graduated: prices usage exactly at the first up_to in the first tier only", () => {
  const p = plan([{ type: "graduated", meter: CU, tiers: TIERS }]);
  const priced = priceUsage(p, usage("1000"));
  assert.deepEqual(amounts(priced.lines), [10000]); // 1000 x 0.10
});

Deno.test("graduated: prices one unit over up_to at the next tier's price", () => {
  const p = plan([{ type: "graduated", meter: CU, tiers: TIERS }]);
  assert.deepEqual(amounts(priceUsage(p, usage("1001")).lines), [10000, 5]); // + 1 x 0.05
  assert.deepEqual(amounts(priceUsage(p, usage("5000")).lines), [10000, 20000]); // + 4000 x 0.05
  assert.deepEqual(amounts(priceUsage(p, usage("5001")).lines), [10000, 20000, 1]); // + 1 x 0.01
});

Deno.test("graduated: prices fractional units in the tier they fall in", () => {
  const p = plan([{ type: "graduated", meter: CU, tiers: TIERS }]);
  // 1000 x 0.10 + 0.5 x 0.05 = 100 + 0.025 -> lines $100.00 and $0.03 (half up)
  const priced = priceUsage(p, usage("1000.5"));
  assert.deepEqual(amounts(priced.lines), [10000, 3]);
  assert.equal(priced.lines[1].quantity, "0.5");
});

Deno.test("graduated: applies the flat amount of the first tier", () => {
  const p = plan([{
    type: "graduated",
    meter: CU,
    tiers: [
      { up_to: "10", unit_price: "1", flat_amount: "10" },
      { up_to: "inf", unit_price: "0.5", flat_amount: "20" },
    ],
  }]);
  // 1 unit: 1 x $1 + $10 flat
  assert.deepEqual(amounts(priceUsage(p, usage("1")).lines), [100, 1000]);
  // 10 units (at up_to): 10 x $1 + $10, no second tier
  assert.equal(priceUsage(p, usage("10")).total_minor, 2000);
  // 11 units: 10 + 10 + 1 x 0.5 + 20 = $40.50
  assert.equal(priceUsage(p, usage("11")).total_minor, 4050);
});

Deno.test("graduated: charges no flat amount at zero usage", () => {
  const p = plan([{
    type: "graduated",
    meter: CU,
    tiers: [{ up_to: "10", unit_price: "1", flat_amount: "10" }, {
      up_to: "inf",
      unit_price: "0.5",
    }],
  }]);
  assert.equal(priceUsage(p, usage("0")).total_minor, 0);
});

// --- volume

Deno.test("volume: prices every unit at the tier reached, usage exactly at up_to stays in it", () => {
  const p = plan([{ type: "volume", meter: CU, tiers: TIERS }]);
  assert.equal(priceUsage(p, usage("1000")).total_minor, 10000); // 1000 x 0.10
  assert.equal(priceUsage(p, usage("1001")).total_minor, 5005); // 1001 x 0.05 = 50.05
  assert.equal(priceUsage(p, usage("5000")).total_minor, 25000); // 5000 x 0.05
  assert.equal(priceUsage(p, usage("5001")).total_minor, 5001); // 5001 x 0.01 = 50.01
  assert.equal(priceUsage(p, usage("1000.1")).total_minor, 5001); // 1000.1 x 0.05 = 50.005 -> 50.01
});

Deno.test("volume: adds the flat amount of the tier reached", () => {
  const p = plan([{
    type: "volume",
    meter: CU,
    tiers: [
      { up_to: "100", unit_price: "0.10", flat_amount: "5" },
      { up_to: "inf", unit_price: "0.05", flat_amount: "7" },
    ],
  }]);
  assert.deepEqual(amounts(priceUsage(p, usage("100")).lines), [1000, 500]);
  assert.deepEqual(amounts(priceUsage(p, usage("200")).lines), [1000, 700]);
  assert.deepEqual(amounts(priceUsage(p, usage("0")).lines), [0]);
});

// --- package

Deno.test("package: rounds a partial block up to a whole one", () => {
  const p = plan([{ type: "package", meter: CU, package_size: "100", package_price: "4.00" }]);
  assert.equal(priceUsage(p, usage("0")).total_minor, 0);
  assert.equal(priceUsage(p, usage("100")).total_minor, 400); // exactly 1 block
  assert.equal(priceUsage(p, usage("100.000001")).total_minor, 800); // 2 blocks
  const priced = priceUsage(p, usage("250.5"));
  assert.equal(priced.lines[0].quantity, "3");
  assert.equal(priced.total_minor, 1200);
});

// --- minimum commitment

Deno.test("minimum: adds a true-up line up to the floor", () => {
  const p = plan([
    { type: "per_unit", meter: CU, unit_price: "0.05" },
    { type: "minimum", amount: "100.00" },
  ]);
  // 1000 x 0.05 = $50.00 -> true-up $50.00
  const priced = priceUsage(p, usage("1000"));
  assert.deepEqual(amounts(priced.lines), [5000, 5000]);
  assert.equal(priced.lines[1].unit_price, "50.00");
  assert.equal(priced.total_minor, 10000);
  // 3000 x 0.05 = $150.00 >= $100: no line
  assert.deepEqual(amounts(priceUsage(p, usage("3000")).lines), [15000]);
});

// --- discount / credit

Deno.test("discount: takes a percentage of the lines above it, rounded once", () => {
  const p = plan([
    { type: "flat", amount: "500.00" },
    { type: "per_unit", meter: CU, unit_price: "0.05" },
    { type: "discount", percent: "10", description: "Public health discount" },
  ]);
  // 500 + 220.8 x 0.05 = 511.04; -10% = -51.104 -> -51.10
  const priced = priceUsage(p, usage("220.8"));
  assert.deepEqual(amounts(priced.lines), [50000, 1104, -5110]);
  assert.equal(priced.subtotal_minor, 51104);
  assert.equal(priced.total_minor, 45994);
});

Deno.test("discount: rounds a negative half cent away from zero", () => {
  const p = plan([
    { type: "per_unit", meter: CU, unit_price: "0.05" },
    { type: "discount", percent: "10" },
  ]);
  // 1 x 0.05 = $0.05; 10% = -0.005 -> -$0.01
  assert.deepEqual(amounts(priceUsage(p, usage("1")).lines), [5, -1]);
});

Deno.test("credit: never takes the total below zero when larger than the subtotal", () => {
  const p = plan([
    { type: "flat", amount: "500.00" },
    { type: "per_unit", meter: CU, unit_price: "0.05" },
    { type: "discount", amount: "600.00", description: "Pilot credit" },
  ]);
  // subtotal 500 + 2 x 0.05 = $500.10; credit $600 capped at $500.10
  const priced = priceUsage(p, usage("2"));
  assert.deepEqual(amounts(priced.lines), [50000, 10, -50010]);
  assert.equal(priced.total_minor, 0);
  assert.match(priced.lines[2].description, /Pilot credit \(\$600.00, capped at \$500.10\)/);
});

Deno.test("credit: a fixed credit smaller than the subtotal comes off in full", () => {
  const p = plan([{ type: "flat", amount: "500.00" }, { type: "discount", amount: "25.50" }]);
  assert.equal(priceUsage(p, []).total_minor, 47450);
});

// --- currencies

Deno.test("prices JPY in whole yen", () => {
  const p = plan([
    { type: "flat", amount: "1000" },
    { type: "per_unit", meter: CU, unit_price: "0.5" },
  ], "JPY");
  // 2469 x 0.5 = 1234.5 -> ¥1,235
  const priced = priceUsage(p, usage("2469"));
  assert.deepEqual(amounts(priced.lines), [1000, 1235]);
  assert.equal(priced.total_minor, 2235);
  assert.equal(priced.currency, "JPY");
});

Deno.test("prices a plan's numbers in another currency when asked (what if)", () => {
  const priced = priceUsage(plans.hybrid, usage("100"), { currency: "EUR" });
  assert.equal(priced.currency, "EUR");
  assert.equal(priced.total_minor, 50500);
  assert.throws(() => priceUsage(plans.hybrid, [], { currency: "XYZ" }), UserError);
});

// --- invariants and refusals

Deno.test("every line's amount is round(quantity x unit_price) and the total their sum", () => {
  const priced = priceUsage(plans.starter, usage("123.456789"));
  assert.equal(priced.total_minor, priced.lines.reduce((s, l) => s + l.amount_minor, 0));
  assert.equal(priced.lines[1].amount_minor, 235); // 23.456789 x 0.10 = 2.3456789 -> $2.35
});

Deno.test("refuses to price rows of more than one tenant together", () => {
  const rows = [...usage("1"), {
    tenant_id: "t2",
    event_type: "api_call",
    events: 1,
    compute_units: "1",
  }];
  assert.throws(() => priceUsage(plans.hybrid, rows), /rows belong to 2 tenants/);
});

Deno.test("keeps the Stripe meter event name on metered lines", () => {
  const priced = priceUsage(plans.hybrid, usage("1"));
  assert.equal(priced.lines[0].event_name, undefined);
  assert.equal(priced.lines[1].event_name, "compute_units");
  assert.equal(priceUsage(plans.usage, usage("1", 1)).lines[0].event_name, "enkf_runs");
});
