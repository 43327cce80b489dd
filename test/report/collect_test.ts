import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { collectReportInput, resolveReportMonth } from "../../src/reports/collect.ts";
import { writeReport } from "../../src/reports/write.ts";
import { UserError } from "../../src/errors.ts";
import { MemoryWarehouse, sampleRows } from "./memory_warehouse.ts";

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const NOW = new Date("2026-11-25T08:00:00Z");

Deno.test("resolveReportMonth: the latest ended month, or a user error naming the fix", () => {
  assert.equal(
    resolveReportMonth(["2026-09", "2026-10", "2026-11"], undefined, NOW, "s"),
    "2026-10",
  );
  assert.equal(resolveReportMonth(["2026-11"], "2026-03", NOW, "s"), "2026-03");
  assert.throws(() => resolveReportMonth([], undefined, NOW, "s"), UserError);
  assert.throws(() => resolveReportMonth(["2026-11"], undefined, NOW, "s"), /--month/);
});

Deno.test("collectReportInput gathers invoices, comparison, margin, tier fit, charts", async () => {
  const input = await collectReportInput(new MemoryWarehouse(sampleRows()), {
    now: NOW,
    plans: repo("data/plans.json"),
    tenants: repo("data/tenants.json"),
    version: "test",
  });
  assert.equal(input.month, "2026-10");
  assert.equal(input.previousUsage.length, 5);
  assert.deepEqual(input.invoices!.map((i) => i.tenant_id), [
    "dept_a",
    "dept_b",
    "dept_c",
    "dept_d",
    "dept_e",
  ]);
  assert.deepEqual(input.unbilled.map((u) => u.tenant_id), ["ghost"]);
  assert.ok(input.warnings.some((w) => w.includes("ghost")));
  assert.ok(input.comparison!.rows.length >= 3);
  assert.match(input.comparison!.csvText!, /^month,tenant_id,plan/);
  assert.equal(input.margin!.rows.length, 5);
  assert.ok(input.tierFit!.rows.length >= 3);
  assert.deepEqual(input.charts.map((c) => c.name), [
    "usage_by_tenant",
    "usage_over_time",
    "revenue_by_plan",
    "margin_by_tenant",
    "pricing_tradeoff",
  ]);
  assert.equal(input.inputs.files.length, 3);

  const dir = await Deno.makeTempDir();
  try {
    const r = await writeReport(input, { out: dir, formats: ["html"], progress: false });
    const html = await Deno.readTextFile(`${r.dir}/index.html`);
    for (
      const id of [
        "summary",
        "usage",
        "invoices",
        "compare",
        "tier-fit",
        "margin",
        "charts",
        "data-quality",
      ]
    ) {
      assert.match(html, new RegExp(`<section id="${id}"`), id);
    }
    assert.match(html, /<svg xmlns/);
    // issue 6's comparison, from compare()'s result: axes with definitions and limits, movers,
    // tier-fit impact over the history, margin under each plan
    for (
      const heading of [
        "Revenue predictability and usage alignment",
        "Who pays more, who pays less",
        "Top movers",
        "Tier fit over the history: revenue impact",
        "Margin under each plan",
      ]
    ) assert.ok(html.includes(`<h3>${heading}</h3>`), heading);
    assert.ok(html.includes("Revenue predictability (seller): max(0, 1 - CV)"));
    assert.ok(html.includes("Usage alignment (buyer): Pearson correlation"));
    assert.match(html, /Limits: both scores are statistics of this history only/);
    assert.match(html, /Only 3 month\(s\) and 4 tenant\(s\): the predictability and alignment/);
    assert.match(html, /Revenue impact if every tenant moved to its best single tier: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collectReportInput: the history tables carry compare()'s own figures", async () => {
  const input = await collectReportInput(new MemoryWarehouse(sampleRows()), {
    now: NOW,
    plans: repo("data/plans.json"),
    tenants: repo("data/tenants.json"),
    version: "test",
  });
  const cmp = JSON.parse(input.comparison!.jsonText!);
  const history = input.comparison!.history!;
  assert.deepEqual(history.movers, cmp.movers);
  assert.deepEqual(history.tier_fit, cmp.tier_fit);
  assert.deepEqual(
    history.plans.map((p) => p.predictability.value),
    cmp.plans.map(
      (p: { predictability: { value: number | null } }) => p.predictability.value,
    ),
  );
  // margin under each plan = that plan's charge - the cost to serve, for the month
  for (const row of input.margin!.rows) {
    const tm = cmp.tenant_months.find((t: { tenant_id: string; month: string }) =>
      t.tenant_id === row.tenant_id && t.month === "2026-10"
    );
    if (!tm) {
      // no usage in the month (dept_d, dept_e): compare did not price it
      assert.equal(row.margin_by_plan, undefined, row.tenant_id);
      continue;
    }
    for (const plan of input.margin!.plans!) {
      assert.equal(row.margin_by_plan![plan], tm.charges_minor[plan] - tm.cost_minor);
    }
  }
  // flat is predictability 1 on any usage (issue 6's hand-checked case)
  assert.equal(history.plans.find((p) => p.plan === "flat")!.predictability.value, 1);
});

Deno.test("collectReportInput: with one month of history, the missing charts are named with why", async () => {
  const oneMonth = sampleRows().filter((r) => r.month === "2026-10");
  const input = await collectReportInput(new MemoryWarehouse(oneMonth), {
    now: NOW,
    plans: repo("data/plans.json"),
    tenants: repo("data/tenants.json"),
    version: "test",
  });
  assert.deepEqual(input.charts.map((c) => c.name), ["usage_by_tenant", "margin_by_tenant"]);
  assert.deepEqual(
    input.omittedCharts!.map((c) => [c.name, c.reason]),
    ["usage_over_time", "revenue_by_plan", "pricing_tradeoff"].map((name) => [
      name,
      "needs at least 2 months of history (this report has 1 month of tenant usage up to October 2026)",
    ]),
  );
});

Deno.test("collectReportInput refuses a month that has not ended, unless allowed (then provisional)", async () => {
  const wh = new MemoryWarehouse(sampleRows());
  const base = {
    now: new Date("2026-10-20T00:00:00Z"),
    plans: repo("data/plans.json"),
    tenants: repo("data/tenants.json"),
    version: "test",
    month: "2026-10",
  };
  await assert.rejects(
    collectReportInput(wh, base),
    (e: unknown) => e instanceof UserError && /October 2026 has not ended yet/.test(e.message),
  );
  const input = await collectReportInput(wh, { ...base, allowOpenMonth: true });
  assert.match(input.provisional!, /^Provisional: the month has not ended/);
});
