import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { eventProblem, type UsageEvent } from "../events/mod.ts";
import { eventsSha256 } from "./canonical.ts";
import {
  type DemoEnkfRunner,
  generateScenario,
  listScenarios,
  loadScenario,
  writeScenario,
} from "./mod.ts";

/**
 * The canonical-export sha256 of `seed` with seed 42. A change in generation
 * (draw order, formats, the scenario file) changes it: if the change is
 * intended, update it here and say so in the commit.
 */
const SEED_42_SHA256 = "a12bb3646354785fd2820f92d33b228c2d77a1bb1c1692bd2c3a6838f88eac0a";

/**
 * The same for `demo` with seed 42 (its enkf_run events come from
 * src/enkf `instrumentedEnkfRun`: a change in that event's shape changes it too).
 * Pinned from an uncached run (`cache: false`, real EnKF runs); the tests
 * below usually read the on-disk cache, so this also checks the cache.
 */
const DEMO_42_SHA256 = "14b008f551120dc0b0fd3e3db9d29f6837b023d2af4a28f0b16d61999afc5dc0";

function countBy(events: UsageEvent[], key: (e: UsageEvent) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[key(e)] = (out[key(e)] ?? 0) + 1;
  return out;
}

Deno.test("seed/42 is byte-identical to the pinned canonical export", async () => {
  const a = await generateScenario("seed", { seed: 42 });
  const b = await generateScenario("seed", { seed: 42 });
  assert.equal(await eventsSha256(a), SEED_42_SHA256);
  assert.equal(await eventsSha256(b), SEED_42_SHA256);
  const other = await generateScenario("seed", { seed: 43 });
  assert.notEqual(await eventsSha256(other), SEED_42_SHA256);
});

Deno.test("seed: 200 valid events in 2026-10 with the seed document's mix", async () => {
  const events = await generateScenario("seed", { seed: 42 });
  assert.equal(events.length, 200);
  assert.equal(new Set(events.map((e) => e.id)).size, 200);
  for (const e of events) {
    assert.equal(eventProblem(e), null, JSON.stringify(e));
    assert.ok(e.ts.startsWith("2026-10-"), e.ts);
    const [lo, hi] = { api_call: [0.001, 0.01], enkf_run: [1, 10], report_gen: [0.1, 0.5] }[
      e.event_type as "api_call"
    ];
    assert.ok(e.compute_units >= lo && e.compute_units <= hi, `${e.event_type} ${e.compute_units}`);
    assert.equal(Math.round(e.compute_units * 1e6) / 1e6, e.compute_units, "6 decimals");
  }
  // Tolerance: +-0.08 of the share (about 2.5 standard deviations at n = 200).
  const near = (count: number, p: number, what: string) =>
    assert.ok(Math.abs(count / 200 - p) <= 0.08, `${what}: ${count}/200 vs ${p}`);
  const tenants = countBy(events, (e) => e.tenant_id!);
  near(tenants.dept_a, 0.5, "dept_a");
  near(tenants.dept_b, 0.3, "dept_b");
  near(tenants.dept_c, 0.2, "dept_c");
  const types = countBy(events, (e) => e.event_type);
  near(types.api_call, 0.7, "api_call");
  near(types.enkf_run, 0.2, "enkf_run");
  near(types.report_gen, 0.1, "report_gen");
  // spread over the month: every week of it has events
  const days = events.map((e) => Number(e.ts.slice(8, 10)));
  for (const week of [0, 1, 2, 3]) {
    assert.ok(days.some((d) => d > week * 7 && d <= week * 7 + 7), `week ${week + 1} is empty`);
  }
  // sorted by time, ids in that order
  const sorted = [...events].sort((a, b) => a.ts.localeCompare(b.ts));
  assert.deepEqual(events.map((e) => e.id), sorted.map((e) => e.id));
});

Deno.test("seed: --events overrides the count", async () => {
  const events = await generateScenario("seed", { seed: 1, events: 1234 });
  assert.equal(events.length, 1234);
  assert.equal(events[0].id, "seed-1-000000");
});

let demoCache: Promise<UsageEvent[]> | undefined;
const demo = () => (demoCache ??= generateScenario("demo", { seed: 42 }));

Deno.test("demo: dept_a runs ~5x the EnKF jobs of any other tenant and takes ~60% of compute", async () => {
  const events = await demo();
  const runs: Record<string, number> = {};
  const units: Record<string, number> = {};
  let total = 0;
  for (const e of events) {
    assert.equal(eventProblem(e), null);
    units[e.tenant_id!] = (units[e.tenant_id!] ?? 0) + e.compute_units;
    total += e.compute_units;
    if (e.event_type === "enkf_run") runs[e.tenant_id!] = (runs[e.tenant_id!] ?? 0) + 1;
  }
  assert.deepEqual(Object.keys(units).sort(), ["dept_a", "dept_b", "dept_c", "dept_d", "dept_e"]);
  const others = Object.entries(runs).filter(([t]) => t !== "dept_a").map(([, n]) => n);
  const ratio = runs.dept_a / Math.max(...others);
  assert.ok(
    ratio >= 4 && ratio <= 7,
    `dept_a runs ${runs.dept_a} vs max other ${Math.max(...others)}`,
  );
  const share = units.dept_a / total;
  assert.ok(share >= 0.55 && share <= 0.65, `dept_a share of compute ${share}`);
});

Deno.test("demo: monthly compute units are on the scale of the plans' tiers", async () => {
  const events = await demo();
  const cu: Record<string, Record<string, number>> = {};
  for (const e of events) {
    const month = e.ts.slice(0, 7);
    const t = (cu[e.tenant_id!] ??= {});
    t[month] = (t[month] ?? 0) + e.compute_units;
  }
  const range = (tenant: string) => {
    const values = Object.values(cu[tenant]);
    return [Math.min(...values), Math.max(...values)];
  };
  // dept_a: hundreds of CU a month, growing to near the enterprise tier's 2,000
  const [aLo, aHi] = range("dept_a");
  assert.ok(aLo >= 200 && aHi >= 1200 && aHi <= 2500, `dept_a ${aLo}..${aHi}`);
  assert.ok(cu.dept_a["2026-10"] > 3 * cu.dept_a["2025-11"], "dept_a grows");
  // the middle tenants: a hundred to a few hundred a month
  for (const t of ["dept_b", "dept_c"]) {
    const [lo, hi] = range(t);
    assert.ok(lo >= 80 && hi <= 800, `${t} ${lo}..${hi}`);
  }
  // the smallest: a few to tens
  for (const t of ["dept_d", "dept_e"]) {
    const [lo, hi] = range(t);
    assert.ok(lo >= 1 && hi <= 100, `${t} ${lo}..${hi}`);
  }
  // production-size EnKF runs (up to 1,000 members x 365 days)
  const runs = events.filter((e) => e.event_type === "enkf_run");
  assert.ok(runs.every((e) => e.n_particles! <= 1000 && e.n_steps! <= 365));
  assert.ok(Math.max(...runs.map((e) => e.compute_units)) > 20);
});

Deno.test("demo: twelve months 2025-11..2026-10, a few thousand events each, sizes differ", async () => {
  const events = await demo();
  const months = countBy(events, (e) => e.ts.slice(0, 7));
  assert.deepEqual(Object.keys(months).sort(), [
    "2025-11",
    "2025-12",
    "2026-01",
    "2026-02",
    "2026-03",
    "2026-04",
    "2026-05",
    "2026-06",
    "2026-07",
    "2026-08",
    "2026-09",
    "2026-10",
  ]);
  for (const [m, n] of Object.entries(months)) assert.ok(n >= 1000 && n <= 10000, `${m}: ${n}`);
  const perTenant = countBy(events, (e) => e.tenant_id!);
  const sizes = Object.values(perTenant).sort((a, b) => a - b);
  assert.ok(sizes[sizes.length - 1] >= 4 * sizes[0], `sizes ${sizes}`);
  // dept_e starts in 2026-03; dept_b grows
  assert.ok(!events.some((e) => e.tenant_id === "dept_e" && e.ts < "2026-03"));
  const b = countBy(events.filter((e) => e.tenant_id === "dept_b"), (e) => e.ts.slice(0, 7));
  assert.ok(b["2026-10"] > 1.5 * b["2025-11"], `dept_b ${b["2025-11"]} -> ${b["2026-10"]}`);
});

Deno.test("demo/42 is byte-identical to the pinned canonical export", async () => {
  assert.equal(await eventsSha256(await demo()), DEMO_42_SHA256);
});

Deno.test("demo: enkf_run events are instrumented runs under the cost model", async () => {
  const events = await demo();
  const runs = events.filter((e) => e.event_type === "enkf_run");
  assert.ok(runs.length > 100);
  for (const e of runs) {
    assert.equal(e.status, "ok");
    const seconds = 1.94e-7 * e.n_particles! * e.n_steps! + 0.0027;
    assert.ok(Math.abs(e.compute_seconds! - seconds) < 2e-6, JSON.stringify(e));
    const cu = (e.n_particles! * e.n_steps! * e.compute_seconds!) / 1000;
    assert.ok(Math.abs(e.compute_units - cu) < 2e-6, JSON.stringify(e));
  }
});

Deno.test("demo: the same seed gives the same events (with a cheap EnKF stand-in)", async () => {
  const fake: DemoEnkfRunner = (job) =>
    Promise.resolve({
      id: job.id,
      ts: job.ts,
      tenant_id: job.tenant_id,
      event_type: "enkf_run",
      compute_units: job.n_ens * job.n_steps / 1e6,
      n_particles: job.n_ens,
      n_steps: job.n_steps,
      status: `seed ${job.seed}`,
    });
  const a = await generateScenario("demo", { seed: 5, enkfRunner: fake });
  const b = await generateScenario("demo", { seed: 5, enkfRunner: fake });
  assert.equal(await eventsSha256(a), await eventsSha256(b));
  const c = await generateScenario("demo", { seed: 6, enkfRunner: fake });
  assert.notEqual(await eventsSha256(a), await eventsSha256(c));
});

async function userError(p: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(p, (error: unknown) => {
    assert.ok(error instanceof UserError, String(error));
    assert.ok(!error.message.includes("\n"), "one line");
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("bad options are one-line UserErrors", async () => {
  assert.deepEqual(await listScenarios(), ["demo", "scale", "seed"]);
  await userError(
    generateScenario("nope", { seed: 1 }),
    /Unknown scenario "nope": known scenarios are demo, scale, seed/,
  );
  await userError(generateScenario("seed", { seed: -1 }), /--seed -1: expected a whole number/);
  await userError(generateScenario("seed", { seed: 1.5 }), /--seed 1.5/);
  await userError(generateScenario("seed", { seed: 1, events: -5 }), /--events -5/);
  await userError(generateScenario("seed", { seed: 1, tenants: 3 }), /--tenants: scenario "seed"/);
  await userError(generateScenario("demo", { seed: 1, events: 3 }), /--events: scenario "demo"/);
  await userError(generateScenario("scale", { seed: 1 }), /use writeScenario/);
  const never = () => Promise.reject(new Error("must not be called"));
  await userError(
    writeScenario({ append: never, appendQuery: never }, "scale", { seed: 1, tenants: 0 }),
    /--tenants 0: expected a whole number from 1/,
  );
});

Deno.test("a bad scenario file names the file and the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/broken.json`,
      JSON.stringify({ kind: "mix", description: "x", month: "2026-13", events: 1, tenants: [] }),
    );
    await userError(
      generateScenario("broken", { seed: 1, scenarioDir: dir }),
      /Bad scenario file ".*broken\.json": month: expected a month like 2026-10/,
    );
    // compute units past 1e9 an event would not stay exact; weights that are all 0 choose nothing
    const scale = {
      kind: "scale",
      description: "x",
      from: "2026-01",
      months: 1,
      tenants: 1,
      events: 1,
      tenant_prefix: "t",
      tenant_digits: 3,
      event_types: [{ type: "big", weight: 1, compute_units: [1, 2e9] }],
    };
    await Deno.writeTextFile(`${dir}/big.json`, JSON.stringify(scale));
    await userError(
      generateScenario("big", { seed: 1, scenarioDir: dir }),
      /big\.json": event_types\.0\.compute_units: compute units per event are at most 1e9/,
    );
    await Deno.writeTextFile(
      `${dir}/zero.json`,
      JSON.stringify({ ...scale, event_types: [{ type: "a", weight: 0, compute_units: [1, 2] }] }),
    );
    await userError(
      generateScenario("zero", { seed: 1, scenarioDir: dir }),
      /zero\.json": event_types: event types need a weight above 0/,
    );
    // a span past 9999-11 has no month (bounded by the next) for its last events; one that ends there is fine
    const types = [{ type: "a", weight: 1, compute_units: [1, 2] }];
    await Deno.writeTextFile(
      `${dir}/late.json`,
      JSON.stringify({ ...scale, event_types: types, from: "9999-06", months: 7 }),
    );
    await userError(
      generateScenario("late", { seed: 1, scenarioDir: dir }),
      /late\.json": months: 7 months from 9999-06 would end in 9999-12, after 9999-11; start earlier/,
    );
    await Deno.writeTextFile(
      `${dir}/last.json`,
      JSON.stringify({ ...scale, event_types: types, from: "9999-06", months: 6 }),
    );
    assert.equal((await loadScenario("last", { scenarioDir: dir })).name, "last");
    await Deno.writeTextFile(
      `${dir}/one.json`,
      JSON.stringify({ ...scale, event_types: types, from: "9999-12", months: 1 }),
    );
    await userError(
      generateScenario("one", { seed: 1, scenarioDir: dir }),
      /one\.json": months: 1 month from 9999-12 would end in 9999-12, after 9999-11/,
    );
    const mix = { kind: "mix", description: "x", events: 1, tenants: [{ id: "a", weight: 1 }] };
    await Deno.writeTextFile(
      `${dir}/mixlate.json`,
      JSON.stringify({ ...mix, month: "9999-12", event_types: types }),
    );
    await userError(
      generateScenario("mixlate", { seed: 1, scenarioDir: dir }),
      /mixlate\.json": month: 9999-12 is after 9999-11, the last month a scenario can fill/,
    );
    await Deno.writeTextFile(`${dir}/notjson.json`, "{");
    await userError(
      generateScenario("notjson", { seed: 1, scenarioDir: dir }),
      /Cannot read scenario file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
