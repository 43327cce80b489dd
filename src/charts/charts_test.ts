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
