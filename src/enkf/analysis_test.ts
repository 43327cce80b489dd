import assert from "node:assert/strict";
import { assimilateScalar, inflateEnsemble } from "./analysis.ts";
import { Rng } from "./rng.ts";

// A 2-D linear-Gaussian model: x' = F x + w, w ~ N(0, Q); y = x[0] + v, v ~ N(0, R).
const F = [[0.9, 0.2], [-0.1, 0.8]];
const Q = [0.1, 0.05]; // diagonal
const R = 0.5;
const M0 = [1, 0];
const P0 = [[1, 0], [0, 1]];
const STEPS = 30;

function observations(seed: number): number[] {
  const rng = new Rng(seed);
  let x = [M0[0] + rng.normal(), M0[1] + rng.normal()];
  const ys: number[] = [];
  for (let t = 0; t < STEPS; t++) {
    x = [
      F[0][0] * x[0] + F[0][1] * x[1] + Math.sqrt(Q[0]) * rng.normal(),
      F[1][0] * x[0] + F[1][1] * x[1] + Math.sqrt(Q[1]) * rng.normal(),
    ];
    ys.push(x[0] + Math.sqrt(R) * rng.normal());
  }
  return ys;
}

interface Moments {
  mean: number[][];
  variance: number[][];
}

/** The exact Kalman filter: analysis means and variances at each step. */
function kalman(ys: number[]): Moments {
  let m = [...M0];
  let P = P0.map((row) => [...row]);
  const out: Moments = { mean: [], variance: [] };
  for (const y of ys) {
    m = [F[0][0] * m[0] + F[0][1] * m[1], F[1][0] * m[0] + F[1][1] * m[1]];
    const FP = [
      [F[0][0] * P[0][0] + F[0][1] * P[1][0], F[0][0] * P[0][1] + F[0][1] * P[1][1]],
      [F[1][0] * P[0][0] + F[1][1] * P[1][0], F[1][0] * P[0][1] + F[1][1] * P[1][1]],
    ];
    P = [
      [FP[0][0] * F[0][0] + FP[0][1] * F[0][1] + Q[0], FP[0][0] * F[1][0] + FP[0][1] * F[1][1]],
      [FP[1][0] * F[0][0] + FP[1][1] * F[0][1], FP[1][0] * F[1][0] + FP[1][1] * F[1][1] + Q[1]],
    ];
    const S = P[0][0] + R;
    const K = [P[0][0] / S, P[1][0] / S];
    const innov = y - m[0];
    m = [m[0] + K[0] * innov, m[1] + K[1] * innov];
    P = [
      [P[0][0] - K[0] * P[0][0], P[0][1] - K[0] * P[0][1]],
      [P[1][0] - K[1] * P[0][0], P[1][1] - K[1] * P[0][1]],
    ];
    out.mean.push(m);
    out.variance.push([P[0][0], P[1][1]]);
  }
  return out;
}

/** The stochastic EnKF with `n` members on the same model and data. */
function enkf(ys: number[], n: number, seed: number): Moments {
  const rng = new Rng(seed);
  const ens = new Float64Array(2 * n);
  const scratch = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    ens[i] = M0[0] + rng.normal();
    ens[n + i] = M0[1] + rng.normal();
  }
  const out: Moments = { mean: [], variance: [] };
  for (const y of ys) {
    for (let i = 0; i < n; i++) {
      const a = ens[i], b = ens[n + i];
      ens[i] = F[0][0] * a + F[0][1] * b + Math.sqrt(Q[0]) * rng.normal();
      ens[n + i] = F[1][0] * a + F[1][1] * b + Math.sqrt(Q[1]) * rng.normal();
    }
    assimilateScalar(ens, n, 2, 0, 1, y, R, rng, scratch);
    const mean = [0, 0], variance = [0, 0];
    for (let k = 0; k < 2; k++) {
      for (let i = 0; i < n; i++) mean[k] += ens[k * n + i];
      mean[k] /= n;
      for (let i = 0; i < n; i++) variance[k] += (ens[k * n + i] - mean[k]) ** 2;
      variance[k] /= n - 1;
    }
    out.mean.push(mean);
    out.variance.push(variance);
  }
  return out;
}

/** Worst errors over all steps and both variables: |mean gap| / KF sd, and |variance ratio - 1|. */
function gaps(kf: Moments, en: Moments): { mean: number; variance: number } {
  let mean = 0, variance = 0;
  for (let t = 0; t < kf.mean.length; t++) {
    for (let k = 0; k < 2; k++) {
      const sd = Math.sqrt(kf.variance[t][k]);
      mean = Math.max(mean, Math.abs(en.mean[t][k] - kf.mean[t][k]) / sd);
      variance = Math.max(variance, Math.abs(en.variance[t][k] / kf.variance[t][k] - 1));
    }
  }
  return { mean, variance };
}

Deno.test("EnKF on a linear-Gaussian model converges to the exact Kalman filter", () => {
  const ys = observations(11);
  const kf = kalman(ys);
  const small = gaps(kf, enkf(ys, 50, 1));
  const medium = gaps(kf, enkf(ys, 2_000, 2));
  const large = gaps(kf, enkf(ys, 50_000, 3));
  // Tolerance at 50,000 members, over all 30 steps and both variables:
  // the mean within 0.05 KF standard deviations, the variance within 5%.
  assert.ok(large.mean < 0.05, `mean gap ${large.mean} >= 0.05 sd`);
  assert.ok(large.variance < 0.05, `variance gap ${large.variance} >= 5%`);
  // and the errors shrink as the ensemble grows
  assert.ok(
    medium.mean < small.mean && large.mean < medium.mean,
    JSON.stringify({ small, medium, large }),
  );
  assert.ok(
    medium.variance < small.variance && large.variance < medium.variance,
    JSON.stringify({ small, medium, large }),
  );
});

Deno.test("inflateEnsemble scales anomalies and keeps the mean", () => {
  const ens = new Float64Array([1, 2, 3, 10, 10, 10]);
  inflateEnsemble(ens, 3, 0, 2, 2);
  assert.deepEqual([...ens], [0, 2, 4, 10, 10, 10]);
});

Deno.test("assimilateScalar leaves an ensemble alone when it has no spread in Hx", () => {
  const ens = new Float64Array([5, 5, 5, 1, 2, 3]);
  assimilateScalar(ens, 3, 2, 0, 1, 100, 1, new Rng(1), new Float64Array(6));
  assert.deepEqual([...ens], [5, 5, 5, 1, 2, 3]);
});
