import assert from "node:assert/strict";
import { backtest } from "../compare/backtest.ts";
import { compareHistoryView, marginByPlanView } from "./view_compare.ts";

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
