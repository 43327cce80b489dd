import assert from "node:assert/strict";
import { revenuePredictability, usageAlignment } from "./axes.ts";

Deno.test("predictability: constant revenue scores 1", () => {
  assert.equal(revenuePredictability([200000, 200000, 200000, 200000]).value, 1);
  assert.equal(revenuePredictability([200000, 200000]).cv, 0);
});

Deno.test("predictability: 1 - CV, worked by hand", () => {
  // mean 200, population sd 100 -> CV 0.5 -> 0.5
  const p = revenuePredictability([100, 300]);
  assert.equal(p.mean, 200);
  assert.equal(p.std, 100);
  assert.equal(p.value, 0.5);
  // [0, 0, 300]: mean 100, sd sqrt(20000) = 141.42 -> CV 1.41 -> clamped at 0
  const q = revenuePredictability([0, 0, 300]);
  assert.ok(Math.abs(q.cv! - Math.SQRT2) < 1e-12);
  assert.equal(q.value, 0);
});

Deno.test("predictability: undefined with one month or no revenue", () => {
  assert.equal(revenuePredictability([500]).value, null);
  assert.equal(revenuePredictability([500]).note, "fewer than 2 months");
  assert.equal(revenuePredictability([0, 0, 0]).value, null);
});

Deno.test("alignment: proportional charges score 1, any scale", () => {
  assert.equal(usageAlignment([10, 20, 40], [1, 2, 4]).value, 1);
  assert.equal(usageAlignment([3, 7, 11, 15], [0.3, 0.7, 1.1, 1.5]).value, 1);
});

Deno.test("alignment: inverse scores -1, flat scores 0, hand-worked r", () => {
  assert.equal(usageAlignment([40, 20, 10], [1, 2, 4]).value! < -0.9, true);
  assert.equal(usageAlignment([5, 5, 5], [1, 2, 4]).value, 0);
  assert.equal(usageAlignment([5, 5, 5], [1, 2, 4]).note, "the charge never varies");
  // x = [1,2,3], y = [1,3,2]: r = 0.5
  assert.ok(Math.abs(usageAlignment([1, 3, 2], [1, 2, 3]).value! - 0.5) < 1e-12);
});

Deno.test("alignment: undefined with too few points or equal consumption", () => {
  assert.equal(usageAlignment([1, 2], [1, 2]).value, null);
  assert.equal(usageAlignment([1, 2, 3], [4, 4, 4]).value, null);
  assert.throws(() => usageAlignment([1, 2, 3], [1, 2]), /3 charges but 2/);
});
