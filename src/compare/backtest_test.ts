import assert from "node:assert/strict";
import { backtest, type ComparePricer, fromMicro, monthRange, toMicro } from "./backtest.ts";
import type { CompareUsageRow } from "./types.ts";
import { UserError } from "../errors.ts";

const COSTS = { currency: "USD", cost_per_compute_unit: "1", cost_per_api_call: "0.01" };

/** flat: $100 a month; usage: $2 per compute unit; starter/pro: tiers. */
const price: ComparePricer = (plan, rows) => {
  const cu = rows.reduce((s, r) => s + Number(r.compute_units), 0);
  const cents = (x: number) => Math.round(x * 100);
  switch (plan) {
    case "flat":
      return { total_minor: 10000, currency: "USD" };
    case "usage":
      return { total_minor: cents(2 * cu), currency: "USD" };
    case "starter": // $10 + $3 per CU
      return { total_minor: cents(10 + 3 * cu), currency: "USD" };
    case "professional": // $50 + $1 per CU
      return { total_minor: cents(50 + cu), currency: "USD" };
    default:
      throw new Error(plan);
  }
};

const PLANS = [
  { id: "flat", name: "Flat" },
  { id: "usage", name: "Usage" },
  { id: "starter", name: "Starter" },
  { id: "professional", name: "Professional" },
];

function row(month: string, tenant: string | null, type: string, events: number, cu: string) {
  return { month, tenant_id: tenant, event_type: type, events, compute_units: cu };
}

// a: 10 CU then 40 CU; b: 5 CU then nothing (priced on no usage).
const USAGE: CompareUsageRow[] = [
  row("2026-01", "a", "enkf_run", 2, "10.000000"),
  row("2026-01", "a", "api_call", 100, "0.500000"),
  row("2026-02", "a", "enkf_run", 8, "40.000000"),
  row("2026-01", "b", "enkf_run", 1, "5.000000"),
  row("2026-02", null, "unauthenticated", 7, "0.000000"),
];

Deno.test("monthRange and micro-units", () => {
  assert.deepEqual(monthRange("2025-12", "2026-01"), ["2025-12", "2026-01"]);
  assert.deepEqual(monthRange("2026-03", "2026-03"), ["2026-03"]);
  assert.throws(() => monthRange("2026-03", "2026-01"), UserError);
  assert.equal(toMicro("12.345678"), 12345678);
  assert.equal(toMicro("0.5"), 500000);
  assert.equal(fromMicro(12345678), "12.345678");
  assert.equal(fromMicro(5), "0.000005");
});

Deno.test("backtest: revenue per plan per month and per tenant, worked by hand", () => {
  const r = backtest({
    usage: USAGE,
    plans: PLANS,
    price,
    currentPlans: { a: "flat", b: "usage" },
    costs: COSTS,
  });
  assert.deepEqual(r.months, ["2026-01", "2026-02"]);
  assert.deepEqual(r.tenants.map((t) => t.tenant_id), ["a", "b"]);
  // usage plan: a 10.5 CU -> $21, 40 CU -> $80; b 5 CU -> $10, 0 -> $0
  assert.deepEqual(r.revenue_by_month.map((m) => m.revenue_minor.usage), [3100, 8000]);
  assert.deepEqual(r.revenue_by_month.map((m) => m.revenue_minor.flat), [20000, 20000]);
  const a = r.tenants[0];
  assert.equal(a.compute_units, "50.500000");
  assert.equal(a.api_calls, 100);
  assert.deepEqual(a.revenue_minor, {
    flat: 20000,
    usage: 10100,
    starter: 17150,
    professional: 15050,
  });
  // cost: 50.5 CU x $1 + 100 calls x $0.01 = $51.50
  assert.equal(a.cost_minor, 5150);
  assert.equal(a.margin_minor.usage, 10100 - 5150);
  // deltas against the current plan (a on flat, b on usage)
  assert.deepEqual(a.delta_minor, { flat: 0, usage: -9900, starter: -2850, professional: -4950 });
  const b = r.tenants[1];
  assert.deepEqual(b.revenue_minor, {
    flat: 20000,
    usage: 1000,
    starter: 3500,
    professional: 10500,
  });
  assert.deepEqual(b.delta_minor, { flat: 19000, usage: 0, starter: 2500, professional: 9500 });
  assert.equal(a.cheapest_plan, "usage");
  assert.ok(Math.abs(a.compute_share - 50.5 / 55.5) < 1e-12);
  // the unauthenticated row is left out, with a note
  assert.ok(r.notes.some((n) => n.includes("7 events without a tenant")));
});

Deno.test("backtest: movers", () => {
  const r = backtest({
    usage: USAGE,
    plans: PLANS,
    price,
    currentPlans: { a: "flat", b: "usage" },
    costs: COSTS,
  });
  const flat = r.movers.find((m) => m.plan === "flat")!;
  assert.deepEqual(flat.pays_more, ["b"]);
  assert.deepEqual(flat.unchanged, ["a"]);
  assert.equal(flat.net_delta_minor, 19000);
  assert.deepEqual(flat.top.map((m) => [m.tenant_id, m.delta_minor, m.delta_rate]), [[
    "b",
    19000,
    19,
  ]]);
  const usage = r.movers.find((m) => m.plan === "usage")!;
  assert.deepEqual(usage.pays_less, ["a"]);
  assert.equal(usage.top[0].delta_minor, -9900);
});

Deno.test("backtest: axes: flat is perfectly predictable, usage is perfectly aligned", () => {
  const usage: CompareUsageRow[] = [];
  const cus = [3, 17, 1, 40, 8, 22, 5, 9, 13];
  let i = 0;
  for (const month of ["2026-01", "2026-02", "2026-03"]) {
    for (const t of ["a", "b", "c"]) usage.push(row(month, t, "enkf_run", 1, `${cus[i++]}.25`));
  }
  const r = backtest({ usage, plans: PLANS, price, currentPlans: {}, costs: COSTS });
  const flat = r.plans.find((p) => p.plan === "flat")!;
  assert.equal(flat.predictability.value, 1);
  assert.equal(flat.alignment.value, 0);
  const pay = r.plans.find((p) => p.plan === "usage")!;
  assert.equal(pay.alignment.value, 1);
  assert.equal(pay.alignment.n, 9);
  // usage revenue per month: 2 x (3.25+17.25+1.25), 2 x (40.25+8.25+22.25), 2 x (5.25+9.25+13.25)
  const monthly = [4350, 14150, 5550];
  assert.deepEqual(r.revenue_by_month.map((m) => m.revenue_minor.usage), monthly);
  const mean = (4350 + 14150 + 5550) / 3;
  const sd = Math.sqrt(monthly.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
  assert.ok(Math.abs(pay.predictability.value! - (1 - sd / mean)) < 1e-9);
  // no current plans: deltas null, tier impact excludes everyone
  assert.equal(r.tenants[0].delta_minor.flat, null);
  assert.equal(r.tier_fit!.excluded_tenants, 3);
});

Deno.test("backtest: tier fit per tenant-month and revenue impact", () => {
  // starter: 10 + 3cu; professional: 50 + cu. Break-even at cu = 20.
  const usage = [
    row("2026-01", "a", "enkf_run", 1, "10"), // starter 40 < pro 60
    row("2026-02", "a", "enkf_run", 1, "30"), // starter 100 > pro 80
    row("2026-01", "b", "enkf_run", 1, "1"), // starter 13
    row("2026-02", "b", "enkf_run", 1, "2"), // starter 16
  ];
  const r = backtest({
    usage,
    plans: PLANS,
    price,
    currentPlans: { a: "professional", b: "professional" },
    costs: COSTS,
  });
  const fit = r.tier_fit!;
  assert.deepEqual(fit.tiers, ["starter", "professional"]);
  assert.deepEqual(r.tenant_months.map((tm) => tm.best_tier), [
    "starter",
    "professional",
    "starter",
    "starter",
  ]);
  const a = fit.tenants[0];
  assert.deepEqual(a.months_best, { starter: 1, professional: 1 });
  // over the history: starter 140 vs professional 140: a tie goes to the first tier
  assert.equal(a.best_tier, "starter");
  assert.equal(a.monthly_best_minor, 4000 + 8000);
  // current: a 140, b 50.00+51 + 50+52 = 103 -> $243; best: a 140, b starter 29 -> $169
  assert.equal(fit.revenue_current_minor, 14000 + 10300);
  assert.equal(fit.revenue_best_tier_minor, 14000 + 2900);
  assert.equal(fit.impact_minor, -7400);
  assert.equal(fit.monthly_impact_minor, 12000 + 2900 - 24300);
});

Deno.test("backtest: tenants are billed from their first month; flat stays perfectly predictable", () => {
  const r = backtest({
    usage: [
      ...USAGE,
      row("2026-02", "c", "enkf_run", 1, "70"), // c joins in February
      row("2026-03", "a", "enkf_run", 1, "1"),
    ],
    plans: PLANS,
    price,
    currentPlans: {},
    costs: COSTS,
    from: "2025-12",
    to: "2026-03",
  });
  // a: 01..03, b: 01..03 (02 and 03 on no usage), c: 02..03; nobody in 2025-12
  assert.deepEqual(r.tenant_months.map((tm) => `${tm.tenant_id} ${tm.month}`), [
    "a 2026-01",
    "a 2026-02",
    "a 2026-03",
    "b 2026-01",
    "b 2026-02",
    "b 2026-03",
    "c 2026-02",
    "c 2026-03",
  ]);
  assert.deepEqual(r.revenue_by_month.map((m) => m.tenants_billed), [0, 2, 3, 3]);
  assert.deepEqual(r.revenue_by_month.map((m) => m.revenue_minor.flat), [0, 20000, 30000, 30000]);
  assert.equal(r.revenue_by_month[0].revenue_minor.usage, 0);
  // flat revenue per billed tenant is $100 every month: predictability 1 although c joined
  assert.equal(r.plans[0].predictability.value, 1);
  assert.equal(r.plans[0].predictability.n, 3);
  // fixed cost is charged for billed months only: b's three months
  const withFixed = backtest({
    usage: USAGE,
    plans: PLANS,
    price,
    currentPlans: {},
    costs: { ...COSTS, fixed_per_tenant_month: "2.50" },
  });
  assert.equal(withFixed.tenants[1].cost_minor, 500 + 2 * 250);
});

Deno.test("backtest: errors name the fix", () => {
  assert.throws(
    () => backtest({ usage: [], plans: PLANS, price, currentPlans: {}, costs: COSTS }),
    /no usage in the store/,
  );
  assert.throws(
    () =>
      backtest({ usage: USAGE, plans: PLANS, price, currentPlans: { a: "gold" }, costs: COSTS }),
    /plan "gold", which is not in the plans file/,
  );
  assert.throws(
    () =>
      backtest({
        usage: USAGE,
        plans: PLANS,
        price,
        currentPlans: {},
        costs: { ...COSTS, currency: "EUR" },
      }),
    /priced in USD but the cost settings are in EUR/,
  );
});
