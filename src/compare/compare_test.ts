import assert from "node:assert/strict";
import { join } from "node:path";
import { loadPlans, loadTenants } from "../pricing/load.ts";
import { compare } from "./compare.ts";
import { costToServeMinor, loadCosts, parseCosts } from "./costs.ts";
import { COMPARE_CSV_COLUMNS, compareCsv, writeComparison } from "./output.ts";
import { UserError } from "../errors.ts";
import type { CompareUsageRow } from "./types.ts";

const root = new URL("../../", import.meta.url).pathname;
const plans = await loadPlans(join(root, "data/plans.json"));
const tenants = await loadTenants(join(root, "data/tenants.json"));
const costs = await loadCosts(join(root, "data/costs.json"));

function row(
  month: string,
  tenant: string,
  type: string,
  events: number,
  cu: string,
): CompareUsageRow {
  return { month, tenant_id: tenant, event_type: type, events, compute_units: cu };
}

// dept_a (hybrid): 120 CU in 2026-09 (10 EnKF runs), 80 CU in 2026-10 (8 runs).
// dept_d (professional): 600 CU in 2026-10 only.
const usage = [
  row("2026-09", "dept_a", "enkf_run", 10, "119.500000"),
  row("2026-09", "dept_a", "api_call", 1000, "0.500000"),
  row("2026-10", "dept_a", "enkf_run", 8, "80.000000"),
  row("2026-10", "dept_d", "enkf_run", 30, "600.000000"),
];

Deno.test("compare: the shipped plans, priced by the pricing engine, worked by hand", () => {
  const r = compare({ usage, plans, tenants, costs });
  assert.deepEqual(r.plan_ids, [
    "flat",
    "usage",
    "hybrid",
    "starter",
    "professional",
    "enterprise",
  ]);
  assert.equal(r.currency, "USD");
  const [sep, oct] = r.tenant_months.filter((tm) => tm.tenant_id === "dept_a");
  // 120 CU: hybrid $500 + $6.00; starter $500 + 20 x $0.10; usage 10 runs x $0.10
  assert.deepEqual(sep.charges_minor, {
    flat: 200000,
    usage: 100,
    hybrid: 50600,
    starter: 50200,
    professional: 150000,
    enterprise: 400000,
  });
  assert.equal(sep.best_tier, "starter");
  // 80 CU: hybrid $504.00; starter $500 (within the 100 included)
  assert.equal(oct.charges_minor.hybrid, 50400);
  assert.equal(oct.charges_minor.starter, 50000);
  // Sept cost: 120 CU x $0.02 + 1000 x $0.0001 + $10 = $12.50 (in the CSV test)
  // dept_d, 600 CU: starter $500 + $50 = $550; professional $1500 + $5 = $1505
  const d = r.tenant_months.find((tm) => tm.tenant_id === "dept_d")!;
  assert.equal(d.charges_minor.starter, 55000);
  assert.equal(d.charges_minor.professional, 150500);
  // revenue deltas against the current plan: dept_a hybrid $1,010.00; on usage $1.80
  const a = r.tenants.find((t) => t.tenant_id === "dept_a")!;
  assert.equal(a.current_plan, "hybrid");
  assert.equal(a.revenue_minor.hybrid, 101000);
  assert.equal(a.delta_minor.usage, 180 - 101000);
  assert.equal(a.delta_minor.flat, 400000 - 101000);
  // cost to serve: 200 CU x $0.02 + 1000 calls x $0.0001 + 2 months x $10 = $24.10
  assert.equal(a.cost_minor, 2410);
  assert.equal(a.margin_minor.hybrid, 101000 - 2410);
  // tier fit: dept_a best on starter ($1,002 vs $1,010 on hybrid)
  const fit = r.tier_fit!.tenants.find((t) => t.tenant_id === "dept_a")!;
  assert.equal(fit.best_tier, "starter");
  assert.equal(fit.change_minor, 100200 - 101000);
  assert.equal(r.revenue_by_month[0].tenants_billed, 1);
  assert.equal(r.revenue_by_month[1].tenants_billed, 2);
});

Deno.test("compare: CSV has one row per tenant, month and plan; written atomically", async () => {
  const r = compare({ usage, plans, tenants, costs });
  const csv = compareCsv(r);
  const lines = csv.trimEnd().split("\n");
  assert.equal(lines[0], COMPARE_CSV_COLUMNS.join(","));
  assert.equal(lines.length, 1 + 3 * 6); // dept_a x 2 months + dept_d x 1 month, 6 plans
  assert.equal(
    lines[3],
    "2026-09,dept_a,hybrid,hybrid,true,120.000000,1010,1000,USD,50600,506.00,1250,49350,0,starter",
  );
  const out = await Deno.makeTempDir();
  try {
    const written = await writeComparison(r, out);
    assert.equal(written.dir, join(out, "2026-10"));
    assert.equal(await Deno.readTextFile(written.csv), csv);
    const json = JSON.parse(await Deno.readTextFile(written.json));
    assert.equal(json.to, "2026-10");
    assert.ok(json.definitions.predictability.includes("1 - CV"));
    const names = [...Deno.readDirSync(written.dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["compare.csv", "compare.json"]); // no temporary files left
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("costs: exact, rounded once; bad files are user errors", async () => {
  const c = parseCosts({
    currency: "USD",
    cost_per_compute_unit: "0.02",
    cost_per_api_call: "0.0001",
    cost_per_event: { report_gen: "0.005" },
  });
  // 0.125 CU x 0.02 = 0.0025; 5 calls x 0.0001 = 0.0005; 1 report 0.005 -> $0.008 -> 1 cent
  assert.equal(
    costToServeMinor(c, { compute_units: "0.125", events: { api_call: 5, report_gen: 1 } }),
    1,
  );
  assert.throws(
    () => parseCosts({ currency: "USD", cost_per_compute_unit: 0.02, cost_per_api_call: "0" }),
    UserError,
  );
  await assert.rejects(() => loadCosts("/nonexistent/costs.json"), /no such file/);
});
