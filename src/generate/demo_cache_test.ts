import assert from "node:assert/strict";
import { eventsSha256 } from "./canonical.ts";
import { demoCacheKey } from "./demo_cache.ts";
import { type DemoCacheInfo, type DemoScenario, generateScenario, loadScenario } from "./mod.ts";

/** A small demo scenario (two tenants, two months, small real EnKF runs). */
const SMALL = {
  description: "cache test",
  kind: "demo",
  from: "2026-09",
  months: 2,
  noise: 0.1,
  api_call: { compute_units: [0.0005, 0.005], endpoints: ["/v1/runs"] },
  report_gen: { compute_units: [0.1, 0.5] },
  enkf: { cost_model: { a: 1.94e-7, b: 0.0027 } },
  tenants: [
    {
      id: "dept_a",
      api_calls: 30,
      reports: 2,
      enkf_runs: 5,
      growth: 0.1,
      seasonality: { amplitude: 0.2, peak_month: 1 },
      enkf: { n_ens: [40, 80], n_steps: [20, 40] },
    },
    {
      id: "dept_b",
      api_calls: 10,
      reports: 1,
      enkf_runs: 1,
      growth: 0,
      seasonality: { amplitude: 0, peak_month: 1 },
      enkf: { n_ens: [40, 80], n_steps: [20, 40] },
    },
  ],
};

async function withDirs(fn: (scenarioDir: string, cacheDir: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "mb-demo-cache-" });
  try {
    await Deno.mkdir(`${root}/scenarios`);
    await Deno.writeTextFile(`${root}/scenarios/small.json`, JSON.stringify(SMALL));
    await fn(`${root}/scenarios`, `${root}/cache`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("demo cache: cached and uncached generation give byte-identical events", async () => {
  await withDirs(async (scenarioDir, dir) => {
    const infos: DemoCacheInfo[] = [];
    const onCache = (i: DemoCacheInfo) => infos.push(i);
    const uncached = await generateScenario("small", { seed: 3, scenarioDir, cache: false });
    const first = await generateScenario("small", {
      seed: 3,
      scenarioDir,
      cache: { dir },
      onCache,
    });
    const second = await generateScenario("small", {
      seed: 3,
      scenarioDir,
      cache: { dir },
      onCache,
    });
    assert.deepEqual(infos.map((i) => i.hit), [false, true]);
    assert.equal(infos[0].path, infos[1].path);
    assert.ok(infos[0].path.startsWith(`${dir}/demo-small-3-`), infos[0].path);
    assert.ok(uncached.some((e) => e.event_type === "enkf_run"));
    assert.deepEqual(first, uncached);
    assert.deepEqual(second, uncached);
    assert.equal(JSON.stringify(second), JSON.stringify(uncached));
    assert.equal(await eventsSha256(second), await eventsSha256(uncached));
    // no temp files left behind; one entry and its lock
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), [infos[0].path.slice(dir.length + 1), "demo-small-3.lock"]);
  });
});

Deno.test("demo cache: parallel generations build once and agree", async () => {
  await withDirs(async (scenarioDir, dir) => {
    const infos: DemoCacheInfo[] = [];
    const run = () =>
      generateScenario("small", {
        seed: 4,
        scenarioDir,
        cache: { dir },
        onCache: (i) => infos.push(i),
      });
    const [a, b, c] = await Promise.all([run(), run(), run()]);
    assert.deepEqual(b, a);
    assert.deepEqual(c, a);
    assert.deepEqual(infos.map((i) => i.hit).sort(), [false, true, true]);
  });
});

Deno.test("demo cache: a damaged entry is rebuilt; the key follows scenario and seed", async () => {
  await withDirs(async (scenarioDir, dir) => {
    const infos: DemoCacheInfo[] = [];
    const options = {
      seed: 5,
      scenarioDir,
      cache: { dir },
      onCache: (i: DemoCacheInfo) => infos.push(i),
    };
    const good = await generateScenario("small", options);
    await Deno.writeTextFile(infos[0].path, "not gzip");
    const again = await generateScenario("small", options);
    assert.equal(infos[1].hit, false);
    assert.deepEqual(again, good);
    assert.equal((await generateScenario("small", options)).length, good.length);
    assert.equal(infos[2].hit, true);

    const small = await loadScenario("small", { scenarioDir }) as DemoScenario;
    const key = await demoCacheKey(small, 5);
    assert.match(key ?? "", /^[0-9a-f]{64}$/);
    assert.notEqual(await demoCacheKey(small, 6), key);
    assert.notEqual(await demoCacheKey({ ...small, noise: 0.2 }, 5), key);
    assert.equal(await demoCacheKey({ ...small }, 5), key);
  });
});

Deno.test("demo cache: a stand-in EnKF runner never reads or writes the cache", async () => {
  await withDirs(async (scenarioDir, dir) => {
    const infos: DemoCacheInfo[] = [];
    await generateScenario("small", {
      seed: 1,
      scenarioDir,
      cache: { dir },
      onCache: (i) => infos.push(i),
      enkfRunner: (job) =>
        Promise.resolve({
          id: job.id,
          ts: job.ts,
          tenant_id: job.tenant_id,
          event_type: "enkf_run",
          compute_units: 1,
        }),
    });
    assert.equal(infos.length, 0);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
  });
});
