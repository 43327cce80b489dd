import assert from "node:assert/strict";
import {
  chartPng,
  eventTypeColor,
  groupChartTenants,
  JUPYTER_DISPLAY,
  marginChart,
  normalizeSvg,
  planColor,
  revenueChart,
  sharePercent,
  tradeoffChart,
  usageOverTimeChart,
  usageStackedChart,
  valueMoney,
} from "./mod.ts";
import { sampleComparison, sampleUsage } from "./fixture_data.ts";
import { requires } from "../../test/support/requires.ts";
import type { Chart } from "./chart.ts";

const usage = sampleUsage();
const comparison = sampleComparison();

function charts(): Record<string, Chart> {
  return {
    usage_stacked: usageStackedChart(usage),
    usage_over_time: usageOverTimeChart(usage),
    tradeoff: tradeoffChart(comparison.plans),
    revenue: revenueChart(comparison),
    margin: marginChart(comparison),
  };
}

Deno.test("charts: golden SVGs (numbers rounded to 2 decimals)", async (t) => {
  for (const [name, chart] of Object.entries(charts())) {
    await t.step(name, async (t) => {
      await t.assertSnapshot(normalizeSvg(chart.svg));
    });
  }
});

Deno.test("charts: standalone, deterministic SVG documents", () => {
  const first = charts();
  const second = charts();
  for (const [name, chart] of Object.entries(first)) {
    assert.equal(chart.svg, second[name].svg, `${name} renders the same twice`);
    assert.match(
      chart.svg,
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1200" height="675" viewBox="0 0 1200 675"/,
    );
    assert.ok(!/plot-clip-\d/.test(chart.svg), `${name}: Plot's global clip ids are renumbered`);
    assert.ok(chart.svg.includes(`<title>${chart.title}</title>`));
    assert.equal(String(chart), chart.svg);
    assert.deepEqual(chart[JUPYTER_DISPLAY](), { "image/svg+xml": chart.svg });
    assert.deepEqual(
      (chart as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")](),
      chart[JUPYTER_DISPLAY](),
      "the symbol is the registered Jupyter.display",
    );
  }
});

Deno.test("charts: the same colour for an event type and a plan in every chart", () => {
  const all = charts();
  assert.ok(all.usage_stacked.svg.includes(`fill="${eventTypeColor("enkf_run")}"`));
  assert.ok(all.usage_over_time.svg.includes(`fill="${eventTypeColor("enkf_run")}"`));
  for (const name of ["tradeoff", "revenue", "margin"]) {
    for (const plan of comparison.plan_ids) {
      assert.ok(all[name].svg.includes(planColor(plan)), `${name} uses ${plan}'s colour`);
    }
  }
});

Deno.test("charts: sizes, many tenants grouped, heavy tenant first in the margin chart", () => {
  const big = usageStackedChart(usage, { width: 1920, height: 1080, fontSize: 24, maxTenants: 3 });
  assert.match(big.svg, /viewBox="0 0 1920 1080"/);
  assert.ok(big.svg.includes("(mean of 3)"));
  assert.ok(big.svg.includes("the 2 largest tenants, and the mean of the other 3"));
  // the averaged group: dept_c..dept_e total divided by 3
  const g = groupChartTenants(new Map([["a", 9], ["b", 1], ["c", 2], ["d", 5]]), 3);
  assert.deepEqual(g.order, ["a", "d", "others\n(mean of 2)"]);
  assert.equal(g.label("b"), g.other);
  assert.equal(g.otherCount, 2);
  const margin = marginChart(comparison).svg;
  assert.ok(margin.indexOf("dept_a") < margin.indexOf("dept_b"));
  assert.ok(margin.includes("% of compute"));
  assert.equal(sharePercent(0.6123), "61%");
  assert.equal(sharePercent(0.0417), "4.2%");
  assert.equal(sharePercent(0.0013), "0.13%");
  assert.equal(sharePercent(0.0996), "10%");
});

Deno.test({
  name: "charts: PNG at 1920x1080 through Chromium",
  ...requires("chromium"),
  fn: async () => {
    const png = await chartPng(usageStackedChart(usage));
    assert.deepEqual([...png.slice(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    const view = new DataView(png.buffer, png.byteOffset);
    assert.equal(view.getUint32(16), 1920);
    assert.equal(view.getUint32(20), 1080);
  },
});

Deno.test("tradeoff: plans with the same printed scores share one label, boxed off the axis lines", () => {
  const svg = tradeoffChart([
    { plan: "flat", predictability: { value: 1 }, alignment: { value: 0 } },
    { plan: "usage", predictability: { value: 0.6 }, alignment: { value: 0.97 } },
    { plan: "enterprise", predictability: { value: 1 }, alignment: { value: 0 } },
  ]).svg;
  const labels = [...svg.matchAll(/<text [^>]*paint-order="stroke">([^<]*)<\/text>/g)].map((m) =>
    m[1]
  );
  assert.deepEqual(labels.sort(), ["flat, enterprise (1.00, 0.00)", "usage (0.60, 0.97)"]);
  // one white box per label, drawn over the y = 0 rule
  assert.equal((svg.match(/<rect [^>]*fill="white" fill-opacity="0.9"\/>/g) ?? []).length, 2);
  // both plans' dots are still drawn (concentric rings)
  assert.ok(svg.includes(planColor("flat")) && svg.includes(planColor("enterprise")));
});

Deno.test("valueMoney: bar and line-end labels carry enough digits to read", () => {
  assert.equal(valueMoney(1954.81, "USD"), "$1,955");
  assert.equal(valueMoney(-31.99, "USD"), "-$31.99");
  assert.equal(valueMoney(12.8, "USD"), "$12.80");
  assert.equal(valueMoney(123456, "USD"), "$123k");
  assert.equal(valueMoney(1234567, "USD"), "$1.23M");
  const margin = marginChart({
    currency: "USD",
    exponent: 2,
    plan_ids: ["flat", "usage"],
    tenants: [{
      tenant_id: "dept_a",
      current_plan: "flat",
      compute_share: 1,
      margin_minor: { flat: 195481, usage: -3199 },
    }],
  }).svg;
  assert.ok(margin.includes(">$1,955</text>"), "the margin label is $1,955, not $2k");
  assert.ok(margin.includes(">-$31.99</text>"));
});

Deno.test("revenue: line ends carry the last month's value; a plan lost on the $0 line is named", () => {
  const svg = revenueChart({
    currency: "USD",
    exponent: 2,
    plan_ids: ["flat", "usage"],
    revenue_by_month: [
      { month: "2026-09", revenue_minor: { flat: 1_000_000, usage: 1500 } },
      { month: "2026-10", revenue_minor: { flat: 1_000_000, usage: 1660 } },
    ],
  }).svg;
  assert.ok(svg.includes(">flat $10,000</text>"));
  assert.ok(svg.includes(">usage $16.60</text>"));
  assert.ok(svg.includes("Near the $0 line at this scale: usage (at most $16.60 a month)."));
});

Deno.test("usage over time: each tenant's panel has its own y scale, so small tenants show", () => {
  const rows = ["2026-09", "2026-10"].flatMap((month, i) => [
    { month, tenant_id: "big", event_type: "enkf_run", events: 10, compute_units: 1000 + i * 200 },
    { month, tenant_id: "small", event_type: "enkf_run", events: 1, compute_units: 8 + i * 4 },
  ]);
  const svg = usageOverTimeChart(rows).svg;
  const ticks = [...svg.matchAll(/aria-label="y-axis tick label"[\s\S]*?<\/g><\/g>/g)].map((m) =>
    [...m[0].matchAll(/>([\d,.]+)<\/text>/g)].map((t) => Number(t[1].replace(/,/g, "")))
  );
  assert.equal(ticks.length, 2, "one y axis per tenant panel");
  assert.ok(Math.max(...ticks[0]) >= 1000, `big tenant's axis reaches 1,000: ${ticks[0]}`);
  assert.ok(Math.max(...ticks[1]) <= 20, `small tenant's axis is its own: ${ticks[1]}`);
  assert.ok(svg.includes("each panel its own scale"));
});
