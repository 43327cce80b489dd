import assert from "node:assert/strict";
import { Rng } from "./rng.ts";

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0, ss = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    ss += x * x;
  }
  const mean = s / n;
  return { mean, variance: ss / n - mean * mean };
}

Deno.test("Rng is reproducible per seed and differs between seeds", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng("42");
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextUint32()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextUint32()));
});

Deno.test("uniform, normal and poisson draws have the right moments", () => {
  const rng = new Rng(1);
  const n = 200_000;
  const u = moments(() => rng.uniform(), n);
  assert.ok(Math.abs(u.mean - 0.5) < 0.005 && Math.abs(u.variance - 1 / 12) < 0.002);
  const z = moments(() => rng.normal(), n);
  assert.ok(Math.abs(z.mean) < 0.01 && Math.abs(z.variance - 1) < 0.02, JSON.stringify(z));
  for (const lambda of [0.3, 4, 25, 200]) {
    const p = moments(() => rng.poisson(lambda), n);
    assert.ok(Math.abs(p.mean - lambda) < 0.02 * lambda + 0.01, `${lambda}: ${JSON.stringify(p)}`);
    assert.ok(Math.abs(p.variance / lambda - 1) < 0.05, `${lambda}: ${JSON.stringify(p)}`);
  }
  const bin = moments(() => rng.binomialApprox(1000, 0.2), n);
  assert.ok(Math.abs(bin.mean - 200) < 0.5 && Math.abs(bin.variance / 160 - 1) < 0.05);
  assert.equal(rng.binomialApprox(5, 1), 5);
  assert.equal(rng.binomialApprox(0, 0.5), 0);
  for (let i = 0; i < 1000; i++) assert.ok(rng.binomialApprox(3, 0.9) <= 3);
});
