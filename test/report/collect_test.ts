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
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
