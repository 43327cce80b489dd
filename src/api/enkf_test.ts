import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { runEnkf } from "../enkf/filter.ts";
import { readObservationsCsv } from "../enkf/obs.ts";
import type { EnkfOptions } from "../enkf/options.ts";
import { costModelClock, type JobTiming, realClock } from "../metering/clock.ts";
import { MemorySink } from "../metering/sink.ts";
import { createEnkfRunner, ENKF_LIMITS } from "./enkf.ts";
import { EnkfPoolBusyError, EnkfWorkerPool } from "./enkf_pool.ts";

const sample = await readObservationsCsv(
  new URL("../../data/obs/sample.csv", import.meta.url).pathname,
);

function runner(extra: { pool?: EnkfWorkerPool } = {}) {
  const sink = new MemorySink();
  let n = 0;
  const run = createEnkfRunner({
    sink,
    clock: extra.pool ? realClock() : costModelClock({ a: 2e-7, b: 0.003 }),
    nextId: () => `job-${++n}`,
    sample,
    ...extra,
  });
  return { run, sink };
}

const userError = (message: RegExp) => (error: unknown) =>
  error instanceof UserError && message.test(error.message);

Deno.test("POST /v1/enkf limits: the work n_ens x n_steps is capped, and the 400 names the limit and the values", async () => {
  const { run, sink } = runner();
  // (2000 observations + 365 horizon) x 2000 members: 4.73 M member-steps, under the cap ...
  // ... but 7-day periods make it 33.11 M model member-steps, over it
  const obs = new Array(2000).fill(10);
  await assert.rejects(
    run("dept_a", { n_ens: 2000, observations: obs, obs_interval: 7, horizon: 365 }),
    userError(
      /^n_ens x n_steps: 2000 x 16555 = 33110000 member-steps is over the limit of 10000000 per job \(n_steps = \(2000 observations \+ horizon 365\) x obs_interval 7\); lower n_ens, horizon or the number of observations$/,
    ),
  );
  // the sample (70 daily counts) with the largest horizon and ensemble: 2000 x 435 = 0.87 M, fine
  await assert.rejects(
    run("dept_a", { n_ens: 2000, horizon: 366 }),
    userError(/horizon: must be an integer from 0 to 365, got 366/),
  );
  assert.equal(sink.events.length, 0, "a refused request runs no job and bills nothing");
  assert.equal(ENKF_LIMITS.member_steps, 10_000_000);
});

Deno.test("POST /v1/enkf: obs_interval is accepted only together with observations", async () => {
  const { run, sink } = runner();
  await assert.rejects(
    run("dept_a", { obs_interval: 7 }),
    userError(
      /^obs_interval: only with "observations" \(the days each of your counts covers\); the built-in sample is daily$/,
    ),
  );
  assert.equal(sink.events.length, 0);
  const weekly = await run("dept_a", {
    observations: [3, 20, 90, 300, 700],
    obs_interval: 7,
    n_ens: 50,
    horizon: 2,
  });
  const f = weekly.forecast as {
    obs_interval: number;
    n_steps: number;
    forecast: { day: number[] };
  };
  assert.equal(f.obs_interval, 7);
  assert.equal(f.n_steps, 49); // (5 + 2) weeks
  assert.deepEqual(f.forecast.day, [42, 49]);
  assert.equal(weekly.event.n_steps, 49);
});

Deno.test("POST /v1/enkf follows simulate's rules: seed a whole number >= 0, counts finite and within the population, no unknown fields", async () => {
  const { run, sink } = runner();
  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{ seed: 1.5 }, /^seed: must be an integer >= 0, got 1\.5$/],
    [{ seed: -1 }, /^seed: must be an integer >= 0, got -1$/],
    [{ seed: "7" }, /^seed: must be an integer >= 0, got "7"$/],
    [
      { n_ens: 50, obs_noise: "gaussian:5", inflaton: 1.1 },
      /^POST \/v1\/enkf: unknown fields "obs_noise", "inflaton"; the fields are observations, obs_interval, n_ens, horizon, seed$/,
    ],
    [
      { observations: [3, 5, 1e308] },
      /^EnKF observations: value 3 is 1e\+308, more than the model's population 100000; a period's case count cannot exceed it$/,
    ],
    [{ observations: [3, -1] }, /^EnKF observations: value 2 is -1; case counts must be finite/],
    [{ observations: [3, "5"] }, /^EnKF observations: value 2 is not a number \(5\)/],
    [{ observations: "3,5" }, /^observations: must be a list of 1 to 2000 case counts >= 0$/],
  ];
  for (const [body, message] of refused) {
    await assert.rejects(run("dept_a", body), userError(message), JSON.stringify(body));
  }
  assert.equal(sink.events.length, 0, "a refused request runs no job and bills nothing");
  // the same bound holds for simulate: runEnkf checks it too
  assert.throws(
    () => runEnkf([3, 200_001], { n_ens: 10 }),
    userError(/more than the model's population/),
  );
  const ok = await run("dept_a", { seed: 0, n_ens: 20, horizon: 1, observations: [3, 5, 100_000] });
  assert.equal(ok.event.status, "ok");
});

/** A pool that keeps the timing each worker reported, to compare with what was billed. */
class RecordingPool extends EnkfWorkerPool {
  readonly timings: JobTiming[] = [];
  override async run(observations: ArrayLike<number>, options: EnkfOptions) {
    const out = await super.run(observations, options);
    this.timings.push(out.timing);
    return out;
  }
}

Deno.test("EnKF jobs on a worker thread: the worker's timing is billed, the result is the in-thread one", async () => {
  const pool = new RecordingPool();
  try {
    await pool.warmUp();
    pool.timings.length = 0;
    const onWorker = await runner({ pool }).run("dept_b", { n_ens: 60, horizon: 7, seed: 4 });
    const inThread = await runner().run("dept_b", { n_ens: 60, horizon: 7, seed: 4 });
    assert.deepEqual(onWorker.forecast, inThread.forecast); // same seed, same numbers
    const e = onWorker.event;
    assert.equal(e.status, "ok");
    assert.equal(e.n_particles, 60);
    assert.equal(e.n_steps, 77);
    // Rule: the event bills exactly what the worker measured on its own thread (not what the
    // main thread spent waiting for it)
    assert.equal(pool.timings.length, 1);
    const [timing] = pool.timings;
    assert.ok(timing.compute_seconds > 0, JSON.stringify(timing));
    assert.equal(e.compute_seconds, Math.round(timing.compute_seconds * 1e6) / 1e6);
    assert.equal(e.duration_ms, Math.round(timing.wall_seconds * 1e6) / 1e3);
    assert.equal(e.compute_units, Math.round(60 * 77 * e.compute_seconds! / 1000 * 1e6) / 1e6);
  } finally {
    pool.close();
  }
});

Deno.test("EnkfWorkerPool: jobs queue for a free worker; close rejects what is left", async () => {
  const pool = new EnkfWorkerPool({ size: 1 });
  const obs = [1, 2, 4, 8, 16];
  const jobs = [1, 2, 3].map((seed) => pool.run(obs, { n_ens: 20, seed, horizon: 0 }));
  const results = await Promise.all(jobs);
  assert.deepEqual(results.map((r) => r.result.options.seed), [1, 2, 3]);
  const late = pool.run(obs, { n_ens: 20, seed: 9 });
  pool.close();
  await assert.rejects(late, /closed/);
  await assert.rejects(pool.run(obs, { n_ens: 20 }), /closed/);
});

Deno.test("EnkfWorkerPool: beyond maxQueued waiting jobs, a job is refused at once, counted, and never billed", async () => {
  const pool = new EnkfWorkerPool({ size: 1, maxQueued: 1 });
  try {
    const obs = [1, 2, 4, 8, 16];
    assert.equal(pool.full, false);
    const running = pool.run(obs, { n_ens: 20, seed: 1 }); // takes the worker
    const waiting = pool.run(obs, { n_ens: 20, seed: 2 }); // waits
    assert.equal(pool.full, true);
    await assert.rejects(
      pool.run(obs, { n_ens: 20, seed: 3 }),
      (e: unknown) =>
        e instanceof EnkfPoolBusyError &&
        e.message ===
          "EnKF workers busy: 1 job(s) running and 1 waiting, the most allowed; retry later",
    );
    // the API's runner refuses before instrumenting: no enkf_run event, not even a failed one
    const { run, sink } = runner({ pool });
    await assert.rejects(run("dept_a", { n_ens: 20 }), EnkfPoolBusyError);
    assert.equal(sink.events.length, 0);
    assert.equal(pool.refused, 2);
    await Promise.all([running, waiting]); // the accepted ones still run
    assert.equal(pool.full, false);
  } finally {
    pool.close();
  }
});
