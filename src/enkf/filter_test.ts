import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { runEnkf } from "./filter.ts";
import { simulateSeir } from "./seir.ts";

const TRUE_BETA = 0.5;

Deno.test("EnKF recovers a known beta from synthetic daily SEIR counts", () => {
  for (const seed of [1, 2, 3]) {
    const { cases } = simulateSeir({ days: 100, beta: TRUE_BETA, seed });
    const fit = runEnkf(cases, { n_ens: 300, seed });
    const b = fit.summary.beta;
    // tolerance: posterior mean within 10% of the truth, and the 90% interval covers it
    assert.ok(Math.abs(b.mean - TRUE_BETA) / TRUE_BETA < 0.1, `seed ${seed}: ${JSON.stringify(b)}`);
    assert.ok(b.q05 <= TRUE_BETA && TRUE_BETA <= b.q95, `seed ${seed}: ${JSON.stringify(b)}`);
    // R0 = beta / gamma = 2.5
    assert.ok(Math.abs(fit.summary.r0.mean - 2.5) < 0.25, JSON.stringify(fit.summary.r0));
  }
});

Deno.test("EnKF recovers a known beta from weekly counts with Gaussian noise", () => {
  const { cases } = simulateSeir({ days: 112, beta: 0.4, seed: 5, obs_interval: 7 });
  const fit = runEnkf(cases, {
    n_ens: 300,
    seed: 5,
    obs_interval: 7,
    obs_noise: { kind: "gaussian", sd: 5, rel: 0.1 },
  });
  const b = fit.summary.beta;
  assert.equal(fit.n_obs, 16);
  assert.equal(fit.day[15], 112);
  assert.ok(Math.abs(b.mean - 0.4) / 0.4 < 0.15, JSON.stringify(b));
  assert.ok(b.q05 <= 0.4 && 0.4 <= b.q95, JSON.stringify(b));
});

Deno.test("the fit's 90% band tracks the observations and quantiles are ordered", () => {
  const { cases } = simulateSeir({ days: 90, beta: TRUE_BETA, seed: 8 });
  const fit = runEnkf(cases, { n_ens: 200, seed: 8, horizon: 14 });
  let inside = 0;
  for (let t = 0; t < fit.n_obs; t++) {
    for (const b of [fit.prior, fit.posterior, fit.beta]) {
      assert.ok(b.q05[t] <= b.q50[t] && b.q50[t] <= b.q95[t]);
    }
    // one-step-ahead predictive band (no observation noise in it), widened by ±2 sqrt(y) Poisson noise
    const slack = 2 * Math.sqrt(Math.max(cases[t], 1));
    if (cases[t] >= fit.prior.q05[t] - slack && cases[t] <= fit.prior.q95[t] + slack) inside++;
  }
  assert.ok(inside / fit.n_obs > 0.8, `only ${inside} of ${fit.n_obs} observations in the band`);
  assert.equal(fit.forecast.q50.length, 14);
  assert.equal(fit.n_steps, 104);
  for (let h = 0; h < 14; h++) assert.ok(fit.forecast.q05[h] <= fit.forecast.q95[h]);
});

Deno.test("the same seed gives identical output; another seed differs", () => {
  const { cases } = simulateSeir({ days: 60, beta: 0.6, seed: 4 });
  const a = runEnkf(cases, { n_ens: 50, seed: "x" });
  const b = runEnkf(cases, { n_ens: 50, seed: "x" });
  const c = runEnkf(cases, { n_ens: 50, seed: "y" });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.beta.mean, c.beta.mean);
  assert.deepEqual(
    simulateSeir({ days: 60, beta: 0.6, seed: 4 }).cases,
    cases,
  );
});

Deno.test("bad options and observations get clear errors", () => {
  const obs = [1, 2, 3];
  const cases: Array<[() => unknown, RegExp]> = [
    [() => runEnkf(obs, { n_ens: 1 }), /n_ens: must be an integer >= 2, got 1/],
    [() => runEnkf(obs, { n_ens: 10.5 }), /n_ens: must be an integer >= 2, got 10.5/],
    [() => runEnkf(obs, { n_ens: NaN }), /n_ens: must be a finite number, got NaN/],
    [
      () => runEnkf(obs, { obs_noise: { kind: "gaussian", sd: -1 } }),
      /obs_noise.sd: must be >= 0, got -1/,
    ],
    [() => runEnkf(obs, { obs_noise: { kind: "gaussian" } }), /needs sd > 0 or rel > 0/],
    [() => runEnkf(obs, { obs_noise: { kind: "poisson", min_var: -2 } }), /min_var: must be >= 0/],
    [() => runEnkf(obs, { inflation: 0.9 }), /inflation: must be >= 1/],
    [() => runEnkf(obs, { beta_rw_sd: -0.1 }), /beta_rw_sd: must be >= 0/],
    [() => runEnkf(obs, { beta_prior: [1, 0.5] }), /beta_prior: must be \[low, high\]/],
    [() => runEnkf(obs, { model: { rho: 0 } }), /model.rho: must be in \(0, 1\]/],
    [() => runEnkf([], {}), /observations: empty/],
    [() => runEnkf([1, -2], {}), /value 2 is -2; case counts must be finite and >= 0/],
    [() => runEnkf([1, NaN], {}), /value 2 is not a number/],
    [() => runEnkf([1, Infinity], {}), /value 2 is Infinity/],
    [() => simulateSeir({ days: 0, beta: 0.5, seed: 1 }), /days: must be an integer >= 1/],
  ];
  for (const [fn, message] of cases) {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof UserError, `not a UserError: ${error}`);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("runEnkf inflates the forecast ensemble before each analysis (1.5 widens it, 1 does not)", () => {
  // With a huge observation error the analysis barely moves the members, so the filtered band of
  // the first period is the forecast ensemble as the analysis saw it: after inflation.
  const spread = (inflation: number) => {
    const fit = runEnkf([40, 50], {
      n_ens: 200,
      seed: 11,
      horizon: 0,
      inflation,
      obs_noise: { kind: "gaussian", sd: 1e8 },
    });
    return {
      prior: fit.prior.q95[0] - fit.prior.q50[0],
      posterior: fit.posterior.q95[0] - fit.posterior.q50[0],
    };
  };
  const none = spread(1);
  const wide = spread(1.5);
  assert.ok(none.prior > 1, `the forecast ensemble has a spread to inflate: ${none.prior}`);
  assert.equal(wide.prior, none.prior); // the one-step-ahead band is recorded before inflation
  // inflation 1: the spread the analysis sees is the forecast's own
  assert.ok(Math.abs(none.posterior / none.prior - 1) < 1e-6, JSON.stringify(none));
  // inflation 1.5: every anomaly is 1.5 times as large (quantile differences scale with it)
  assert.ok(Math.abs(wide.posterior / wide.prior - 1.5) < 1e-6, JSON.stringify(wide));
});

Deno.test("after every analysis S + E + I + R stays N with none negative: the share infected is in [0, 1]", () => {
  // 2000 flat counts of 5 every 2 days used to end with S far above N (mean share -2.4): the
  // clamp raised negative compartments to 0, adding people, and the inflation amplified it
  const flat = runEnkf(new Array(2000).fill(5), { obs_interval: 2 });
  // a long daily series (the bench's input) went negative too
  const { cases } = simulateSeir({ days: 365, beta: 0.5, seed: 2026 });
  const long = runEnkf(cases, { n_ens: 200, seed: 100, horizon: 0 });
  for (const [name, fit] of [["flat", flat], ["long", long]] as const) {
    const s = fit.summary.infected_share;
    for (const v of [s.mean, s.q05, s.q50, s.q95]) {
      assert.ok(v >= 0 && v <= 1, `${name}: ${JSON.stringify(s)}`);
    }
    for (let t = 0; t < fit.n_obs; t++) {
      assert.ok(Number.isFinite(fit.posterior.mean[t]), `${name}: posterior at ${t}`);
    }
  }
});
