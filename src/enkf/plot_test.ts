import assert from "node:assert/strict";
import { runEnkf } from "./filter.ts";
import { enkfFitSvg } from "./plot.ts";
import { simulateSeir } from "./seir.ts";

Deno.test("enkfFitSvg renders a standalone SVG with observations, median and band", () => {
  const fit = runEnkf(simulateSeir({ days: 30, beta: 0.5, seed: 1 }).cases, {
    n_ens: 20,
    horizon: 7,
  });
  const svg = enkfFitSvg(fit, { title: "dept_a <fit>" });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /dept_a &lt;fit&gt;/);
  assert.equal((svg.match(/<circle/g) ?? []).length, 30); // one dot per observation
  assert.ok((svg.match(/<path/g) ?? []).length >= 4); // two bands and two median lines
  assert.equal(enkfFitSvg(fit, { title: "dept_a <fit>" }), svg); // deterministic
  const dated = enkfFitSvg(fit, { dates: ["2026-07-01"] });
  assert.match(dated, /Jul/);
});
