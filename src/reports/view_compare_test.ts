import assert from "node:assert/strict";
import { backtest } from "../compare/backtest.ts";
import { compareHistoryView, marginByPlanView, signedPct } from "./view_compare.ts";

// Two tenants on a $100 flat fee; the "usage" plan charges $1 per compute unit.
const result = backtest({
  usage: ["2026-09", "2026-10"].flatMap((month) => [
    { month, tenant_id: "a", event_type: "enkf_run", events: 1, compute_units: "10" },
    { month, tenant_id: "b", event_type: "enkf_run", events: 1, compute_units: "300" },
  ]),
  plans: [{ id: "flat", name: "Flat" }, { id: "usage", name: "Usage" }],
  price: (plan, rows) => ({
    total_minor: plan === "flat"
      ? 10000
      : rows.reduce((s, r) => s + Math.round(Number(r.compute_units) * 100), 0),
    currency: "USD",
  }),
  currentPlans: { a: "flat", b: "flat" },
  costs: { currency: "USD", cost_per_compute_unit: "0.10", cost_per_api_call: "0" },
}, { tiers: [] });

Deno.test("comparison views: movers worked by hand (a pays $180 less, b $400 more on usage)", () => {
  const view = compareHistoryView(result, { currency: "USD" });
  assert.equal(view.range, "September 2026 to October 2026 (2 months, 2 tenants)");
  const usage = view.movers.rows.find((r) => r[0].text === "usage")!;
  // pay more, pay less, unchanged, net change, net change % of the $400 paid on current plans
  assert.deepEqual(usage.slice(1).map((c) => c.text), ["1", "1", "0", "+$220.00", "+55.0%"]);
  assert.deepEqual(
    view.topMovers!.rows.map((r) => [r[1].text, r[5].text, r[6].text]),
    [["b", "+$400.00", "+200.0%"], ["a", "-$180.00", "-90.0%"]],
  );
  // the axes: flat is perfectly predictable and, never varying, scores 0 alignment
  const flat = view.axes.rows.find((r) => r[0].text === "flat")!;
  assert.deepEqual([flat[1].text, flat[2].text], ["1.00", "0.00"]);
  assert.ok(view.axes.notes.some((n) => n.startsWith("Revenue predictability (seller)")));
  assert.ok(view.axes.notes.some((n) => n.startsWith("Limits:")));
  assert.equal(view.tierFit, null, "no tiers compared");
});

Deno.test("comparison views: margin under each plan, the current plan in bold, losses in red", () => {
  const table = marginByPlanView({
    currency: "USD",
    caption: "",
    plans: ["flat", "usage"],
    rows: [
      {
        tenant_id: "b",
        revenue_minor: 10000,
        cost_minor: 3000,
        compute_units: "300",
        current_plan: "flat",
        margin_by_plan: { flat: 7000, usage: 27000 },
      },
      {
        tenant_id: "a",
        revenue_minor: 10000,
        cost_minor: 100,
        compute_units: "10",
        current_plan: "usage",
        margin_by_plan: { flat: 9900, usage: -50 },
      },
    ],
  }, { month: "2026-10" })!;
  assert.deepEqual(table.rows.map((r) => r.map((c) => c.text)), [
    ["b", "$30.00", "$70.00", "$270.00"],
    ["a", "$1.00", "$99.00", "-$0.50"],
  ]);
  assert.equal(table.rows[0][2].strong, true);
  assert.equal(table.rows[1][3].strong, true);
  assert.equal(table.rows[1][3].trend, "down");
  assert.deepEqual(table.total!.map((c) => c.text), ["Total", "$31.00", "$169.00", "$269.50"]);
});

Deno.test("margin under each plan: every total is the sum of the rows shown; the unlisted are named and reconciled", () => {
  const row = (
    tenant_id: string,
    revenue_minor: number,
    cost_minor: number,
    margin_by_plan?: Record<string, number>,
  ) => ({
    tenant_id,
    revenue_minor,
    cost_minor,
    compute_units: "0",
    current_plan: "flat",
    ...(margin_by_plan ? { margin_by_plan } : {}),
  });
  const margin = {
    currency: "USD",
    caption: "",
    plans: ["flat", "usage"],
    rows: [
      row("a", 10000, 100, { flat: 9900, usage: -50 }),
      row("b", 10000, 3000, { flat: 7000, usage: 27000 }),
      row("c", 10000, 4000, { flat: 6000, usage: 1000 }),
      // no usage up to the month: not priced by the comparison; its own margin is $100 - $10
      row("d", 10000, 1000),
    ],
  };
  // Worked by hand over a, b, c: cost $1 + $30 + $40 = $71.00 (not $81.00 with d's $10);
  // flat $99 + $70 + $60 = $229.00; usage -$0.50 + $270 + $10 = $279.50.
  const all = marginByPlanView(margin, { month: "2026-10" })!;
  assert.deepEqual(all.rows.map((r) => r[0].text), ["a", "b", "c"]);
  assert.deepEqual(all.total!.map((c) => c.text), [
    "Total (3 listed)",
    "$71.00",
    "$229.00",
    "$279.50",
  ]);
  assert.deepEqual(all.notes, [
    "Not listed: d: no usage up to October 2026, and the comparison prices a tenant from its " +
    "first month with usage.",
    'The totals add up the 3 tenants listed; "Margin by tenant" also counts the 1 not listed ' +
    "here, whose margin on their current plans is $90.00.",
  ]);
  // Only a and b shown (the report lists the largest tenants): the totals follow the rows.
  const two = marginByPlanView(margin, { month: "2026-10", shown: (id) => id !== "c" })!;
  assert.deepEqual(two.total!.map((c) => c.text), [
    "Total (2 listed)",
    "$31.00",
    "$169.00",
    "$269.50",
  ]);
  assert.match(
    two.notes[1],
    /^Not listed: 1 smaller tenant \(compare\.csv lists every tenant\)\.$/,
  );
  // c's $60.00 on flat (its current plan) and d's $90.00
  assert.match(two.notes[2], /also counts the 2 not listed here, whose margin .* is \$150\.00\.$/);
});

Deno.test("top movers: a change past +999.9% prints as >+999% (a tenant paying $2.20 moved to $4,000)", () => {
  const tiny = backtest({
    usage: [
      { month: "2026-10", tenant_id: "a", event_type: "api_call", events: 22, compute_units: "1" },
    ],
    plans: [{ id: "usage", name: "Usage" }, { id: "enterprise", name: "Enterprise" }],
    price: (plan) => ({ total_minor: plan === "usage" ? 220 : 400000, currency: "USD" }),
    currentPlans: { a: "usage" },
    costs: { currency: "USD", cost_per_compute_unit: "0", cost_per_api_call: "0" },
  }, { tiers: [] });
  const view = compareHistoryView(tiny, { currency: "USD" });
  const row = view.topMovers!.rows.find((r) => r[0].text === "enterprise")!;
  // (4000 - 2.20) / 2.20 = +181,718.2%
  assert.deepEqual([row[5].text, row[6].text], ["+$3,997.80", ">+999%"]);
  const movers = view.movers.rows.find((r) => r[0].text === "enterprise")!;
  assert.equal(movers[5].text, ">+999%");
  assert.equal(signedPct(9.999), "+999.9%");
  assert.equal(signedPct(10), ">+999%");
  assert.equal(signedPct(-1), "-100.0%");
});
