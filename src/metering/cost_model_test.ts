import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { checkCostModel, costModelSeconds, fitCostModel, loadCostModel } from "./cost_model.ts";

Deno.test("fitCostModel recovers a and b from exact samples", () => {
  const a = 2.5e-7, b = 0.002;
  const samples = [[50, 60], [200, 120], [1000, 365]].map(([n_ens, n_steps]) => ({
    n_ens,
    n_steps,
    seconds: a * n_ens * n_steps + b,
  }));
  const fit = fitCostModel(samples);
  assert.ok(Math.abs(fit.a - a) < 1e-12 && Math.abs(fit.b - b) < 1e-9, JSON.stringify(fit));
  assert.ok(fit.r2 > 0.999999);
  assert.equal(costModelSeconds({ a, b }, 1000, 365), a * 365000 + b);
});

Deno.test("fitCostModel never returns a negative intercept and needs two sizes", () => {
  const fit = fitCostModel([
    { n_ens: 10, n_steps: 10, seconds: 0.00001 },
    { n_ens: 100, n_steps: 100, seconds: 0.01 },
    { n_ens: 1000, n_steps: 100, seconds: 0.1 },
  ]);
  assert.equal(fit.b, 0);
  assert.ok(fit.a > 0);
  assert.throws(() => fitCostModel([{ n_ens: 10, n_steps: 10, seconds: 1 }]), UserError);
});

Deno.test("loadCostModel reads the committed calibration and rejects bad files", async () => {
  const model = await loadCostModel(
    new URL("../../data/cost_model.json", import.meta.url).pathname,
  );
  assert.ok(model.a > 0 && model.b >= 0);
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      loadCostModel(`${dir}/missing.json`),
      /no such file; run `deno task calibrate`/,
    );
    await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ a: -1, b: 0 }));
    await assert.rejects(
      loadCostModel(`${dir}/bad.json`),
      /"a" must be a finite number >= 0, got -1/,
    );
    await Deno.writeTextFile(`${dir}/text.json`, "not json");
    await assert.rejects(loadCostModel(`${dir}/text.json`), /not JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(() => checkCostModel(null), UserError);
});
