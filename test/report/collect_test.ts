import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { collectReportInput, resolveReportMonth } from "../../src/reports/collect.ts";
import { writeReport } from "../../src/reports/write.ts";
import { UserError } from "../../src/errors.ts";
import type { ReportUsageRow } from "../../src/reports/types.ts";
import { MemoryWarehouse, sampleRows } from "./memory_warehouse.ts";
import { htmlNotes, htmlTable } from "./html_table.ts";

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

/**
 * A small history worked by hand: dept_a (hybrid) 1,000 compute units and 10 EnKF runs in
 * September, 2,000 and 20 in October; dept_d (professional) 100 and 5 in October. dept_b, dept_c
 * (hybrid) and dept_e (usage) have no usage, so the comparison does not price them.
 */
function handWorkedRows(): ReportUsageRow[] {
  const row = (month: string, tenant_id: string, events: number, units: string) => ({
    month,
    tenant_id,
    event_type: "enkf_run",
    events,
    compute_units: units,
  });
  return [
    row("2026-09", "dept_a", 10, "1000.000000"),
    row("2026-10", "dept_a", 20, "2000.000000"),
    row("2026-10", "dept_d", 5, "100.000000"),
  ];
}

async function renderedHandWorked(): Promise<string> {
  const input = await collectReportInput(new MemoryWarehouse(handWorkedRows()), {
    now: NOW,
    month: "2026-10",
    plans: repo("data/plans.json"),
    tenants: repo("data/tenants.json"),
    version: "test",
  });
  const dir = await Deno.makeTempDir();
  try {
    const r = await writeReport(input, { out: dir, formats: ["html"], progress: false });
    return await Deno.readTextFile(`${r.dir}/index.html`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("report comparison: movers' net change is each plan's revenue minus the current plans' total, worked by hand", async () => {
  const html = await renderedHandWorked();
  // On current plans: dept_a hybrid $550 + $600, dept_d professional $1,500 = $2,650.00.
  // Everyone on the plan: flat 3 x $2,000 = $6,000; usage (EnKF runs x $0.10) $1 + $2 + $0.50;
  // hybrid $550 + $600 + $505; starter $590 + $690 + $500; professional $1,525 + $1,575 + $1,500;
  // enterprise 3 x $4,000 (2,000 units included).
  assert.deepEqual(htmlTable(html, "Who pays more, who pays less"), [
    ["Plan", "Pay more", "Pay less", "Unchanged", "Net change", "Net change %"],
    ["Flat", "2", "0", "0", "+$3,350.00", "+126.4%"],
    ["Usage", "0", "2", "0", "-$2,646.50", "-99.9%"],
    ["Hybrid", "0", "1", "1", "-$995.00", "-37.5%"],
    ["Starter", "1", "1", "0", "-$870.00", "-32.8%"],
    ["Professional", "1", "0", "1", "+$1,950.00", "+73.6%"],
    ["Enterprise", "2", "0", "0", "+$9,350.00", "+352.8%"],
  ]);
  assert.ok(
    htmlNotes(html, "Who pays more, who pays less")[0].startsWith(
      "On current plans the tenants paid $2,650.00 in total",
    ),
  );
});

Deno.test("report tier fit: both tables show the change as tier minus current plan (one sign convention)", async () => {
  const html = await renderedHandWorked();
  // October: dept_a $600 on hybrid, $690 on starter (1,900 units over x $0.10): +$90.00;
  // dept_d $1,500 on professional, $500 on starter (100 units, all included): -$1,000.00.
  const month = htmlTable(html, "Tier fit");
  assert.deepEqual(month[0].slice(-2), ["Cheapest tier", "Change"]);
  const cells = (rows: string[][], id: string) => rows.find((r) => r[0] === id)!;
  assert.deepEqual(cells(month, "dept_a").slice(2), [
    "$600.00",
    "$690.00",
    "$1,575.00",
    "$4,000.00",
    "Starter",
    "+$90.00",
  ]);
  assert.deepEqual(cells(month, "dept_d").slice(-2), ["Starter", "-$1,000.00"]);
  // Over the history: dept_a $1,150 on hybrid, $1,280 on starter: +$130.00; dept_d -$1,000.00.
  const history = htmlTable(html, "Tier fit over the history: revenue impact");
  assert.deepEqual(cells(history, "dept_a").slice(2, 6), [
    "$1,150.00",
    "Starter",
    "$1,280.00",
    "+$130.00",
  ]);
  assert.deepEqual(history.at(-1)!.slice(0, 6), [
    "Total (2 tenants)",
    "",
    "$2,650.00",
    "",
    "$1,780.00",
    "-$870.00",
  ]);
});

Deno.test("report margin under each plan: totals are the sums of the rows listed, worked by hand", async () => {
  const html = await renderedHandWorked();
  // Cost to serve (data/costs.json): $0.02 per compute unit + $10.00 per tenant-month.
  // dept_a: 2,000 units, $50.00; dept_d: 100 units, $12.00. Not listed (no usage): dept_b,
  // dept_c ($500 - $10 each) and dept_e ($0 - $10): $970.00 on their current plans.
  const table = htmlTable(html, "Margin under each plan");
  assert.deepEqual(table, [
    ["Tenant", "Cost to serve", "Flat", "Usage", "Hybrid", "Starter", "Professional", "Enterprise"],
    ["dept_a", "$50.00", "$1,950.00", "-$48.00", "$550.00", "$640.00", "$1,525.00", "$3,950.00"],
    ["dept_d", "$12.00", "$1,988.00", "-$11.50", "$493.00", "$488.00", "$1,488.00", "$3,988.00"],
    [
      "Total (2 listed)",
      "$62.00",
      "$3,938.00",
      "-$59.50",
      "$1,043.00",
      "$1,128.00",
      "$3,013.00",
      "$7,938.00",
    ],
  ]);
  assert.deepEqual(htmlNotes(html, "Margin under each plan"), [
    "Not listed: dept_b, dept_c, dept_e: no usage up to October 2026, and the comparison " +
    "prices a tenant from its first month with usage.",
    'The totals add up the 2 tenants listed; "Margin by tenant" also counts the 3 not listed ' +
    "here, whose margin on their current plans is $970.00.",
  ]);
  // "Margin by tenant": revenue $600 + $500 + $500 + $1,500 + $0; margin $550.00 + $1,488.00
  // (the bold cells above) + the $970.00 not listed there = $3,008.00
  const byTenant = htmlTable(html, "Margin by tenant");
  assert.deepEqual(byTenant.at(-1)!.slice(0, 5), [
    "Total",
    "$3,100.00",
    "2,100.0",
    "$92.00",
    "$3,008.00",
  ]);
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

/** Rows for 2026-10 and 2026-11 (dept_a). */
function octNov(): ReportUsageRow[] {
  return ["2026-10", "2026-11"].map((month) => ({
    month,
    tenant_id: "dept_a",
    event_type: "enkf_run",
    events: 4,
    compute_units: "20.000000",
  }));
}

Deno.test("default report month: the latest stored month that has ended in UTC and in every tenant's zone", async () => {
  // 03:00Z on 1 December: November has ended in UTC but not for dept_e (America/Chicago, 06:00Z)
  const now = new Date("2026-12-01T03:00:00Z");
  const input = await collectReportInput(new MemoryWarehouse(octNov()), {
    now,
    plans: repo("data/plans.json"),
    tenants: repo("data/tenants.json"),
    version: "test",
  });
  assert.equal(input.month, "2026-10");
  assert.equal(input.provisional, null);
  const zones = { dept_e: "America/Chicago" };
  assert.equal(resolveReportMonth(["2026-10", "2026-11"], undefined, now, "s"), "2026-11");
  assert.equal(resolveReportMonth(["2026-10", "2026-11"], undefined, now, "s", zones), "2026-10");
  assert.throws(
    () => resolveReportMonth(["2026-11"], undefined, now, "s", zones),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        'No month with events in the store "s" has ended yet (months: 2026-11; 2026-11 ends ' +
          "2026-12-01T06:00Z, midnight in America/Chicago for tenant dept_e): rerun after that, " +
          "or pass --month YYYY-MM --allow-open-month for a provisional report",
  );
});

Deno.test("report invoices.json: marked provisional for an open month, demo for demo data, neither otherwise", async () => {
  const base = {
    plans: repo("data/plans.json"),
    tenants: repo("data/tenants.json"),
    version: "test",
  };
  const wh = new MemoryWarehouse(octNov());
  const read = (input: { invoiceFiles?: { json: string } }) =>
    JSON.parse(input.invoiceFiles!.json) as { provisional?: boolean; demo?: boolean };
  const open = await collectReportInput(wh, {
    ...base,
    now: new Date("2026-11-20T00:00:00Z"),
    month: "2026-11",
    allowOpenMonth: true,
  });
  assert.equal(read(open).provisional, true);
  assert.equal(read(open).demo, undefined);
  const ended = await collectReportInput(wh, { ...base, now: NOW, month: "2026-10" });
  assert.equal(read(ended).provisional, undefined);
  assert.equal(read(ended).demo, undefined);
  const demo = await collectReportInput(wh, {
    ...base,
    now: NOW,
    month: "2026-10",
    demo: { scenario: "demo", seed: 42, reason: "no event store" },
  });
  assert.equal(read(demo).demo, true);
  assert.ok(demo.invoiceFiles!.json.startsWith('{\n  "month": "2026-10",\n  "demo": true,\n'));
});
