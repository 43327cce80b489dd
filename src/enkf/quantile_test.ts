import assert from "node:assert/strict";
import { ensembleQuantile, ensembleQuantiles3 } from "./quantile.ts";
import { Rng } from "./rng.ts";

/** Type-7 quantile by sorting, the reference. */
function reference(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const k = Math.floor(pos);
  return k + 1 < s.length ? s[k] + (pos - k) * (s[k + 1] - s[k]) : s[k];
}

Deno.test("quantile matches sorting (type 7), with ties and any size", () => {
  const rng = new Rng(3);
  for (const n of [1, 2, 3, 10, 101, 1000]) {
    for (
      const values of [
        Array.from({ length: n }, () => Math.floor(rng.uniform() * 20)), // many ties
        Array.from({ length: n }, () => rng.normal() * 1e3), // continuous
      ]
    ) {
      const data = Float64Array.from(values);
      const scratch = new Float64Array(n);
      for (const q of [0, 0.05, 0.25, 0.5, 0.95, 1]) {
        assert.ok(Math.abs(ensembleQuantile(data, n, q, scratch) - reference(values, q)) < 1e-12);
      }
      assert.deepEqual([...data], values); // input untouched
      const out = new Float64Array(3);
      ensembleQuantiles3(data, 0, n, scratch, out, 0, 1);
      assert.deepEqual([...out], [0.05, 0.5, 0.95].map((q) => reference(values, q)));
    }
  }
});
