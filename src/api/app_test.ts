import assert from "node:assert/strict";
import { ApiKeyAuth, hashApiKey } from "../metering/auth.ts";
import { MeterCore } from "../metering/core.ts";
import { MemorySink } from "../metering/sink.ts";
import { costModelClock } from "../metering/clock.ts";
import { type ApiDeps, createApiApp } from "./app.ts";
import { createEnkfRunner } from "./enkf.ts";
import { EnkfWorkerPool } from "./enkf_pool.ts";
import { localMonthOf } from "./local_month.ts";

function appAt(now: string, zones: Record<string, string>, runEnkf?: ApiDeps["runEnkf"]) {
  const asked: Array<[string, string]> = [];
  const deps: ApiDeps = {
    core: new MeterCore({
      sink: new MemorySink(),
      auth: new ApiKeyAuth([
        { tenant_id: "dept_a", sha256: hashApiKey("key-a") },
        { tenant_id: "dept_e", sha256: hashApiKey("key-e") },
      ]),
    }),
    metrics: () => ({}) as ReturnType<ApiDeps["metrics"]>,
    runEnkf: runEnkf ?? (() => Promise.reject(new Error("not in this test"))),
    usage: (tenant_id, month) => {
      asked.push([tenant_id, month]);
      return Promise.resolve({ tenant_id, month });
    },
    now: () => new Date(now),
    timeZone: (tenant) => zones[tenant],
  };
  return { app: createApiApp(deps), asked, sink: deps.core.sink as MemorySink };
}

Deno.test("GET /v1/usage without ?month is the tenant's current local month, not the UTC one", async () => {
  // 03:00 UTC on 1 December is still 30 November, 21:00, in Chicago
  const { app, asked } = appAt("2026-12-01T03:00:00Z", { dept_e: "America/Chicago" });
  const get = (key: string, query = "") =>
    app.request(`/v1/usage${query}`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal((await (await get("key-e")).json()).month, "2026-11");
  assert.equal((await (await get("key-a")).json()).month, "2026-12"); // no zone: UTC
  assert.equal((await (await get("key-e", "?month=2026-10")).json()).month, "2026-10"); // explicit
  assert.deepEqual(asked, [["dept_e", "2026-11"], ["dept_a", "2026-12"], ["dept_e", "2026-10"]]);
});

Deno.test("localMonthOf cuts months at local midnight, both sides of UTC and across years", () => {
  const cases: Array<[string, string | undefined, string]> = [
    ["2026-12-01T03:00:00Z", "America/Chicago", "2026-11"],
    ["2026-12-01T06:00:00Z", "America/Chicago", "2026-12"], // Chicago midnight is 06:00 UTC
    ["2026-12-31T23:30:00Z", "Asia/Tokyo", "2027-01"], // already 08:30 on 1 January
    ["2026-09-30T22:00:00Z", "Europe/Berlin", "2026-10"], // midnight exactly belongs to the new month
    ["2026-09-30T21:59:59Z", "Europe/Berlin", "2026-09"],
    ["2027-01-01T00:00:00Z", undefined, "2027-01"],
  ];
  for (const [instant, zone, month] of cases) {
    assert.equal(localMonthOf(new Date(instant), zone), month, `${instant} in ${zone ?? "UTC"}`);
  }
  assert.throws(
    () => localMonthOf(new Date(), "Mars/Olympus"),
    /Unknown time zone "Mars\/Olympus"/,
  );
});

Deno.test("POST /v1/enkf: an unknown field or a fractional seed is a 400 naming it, and no job runs", async () => {
  const jobs = new MemorySink();
  const runEnkf = createEnkfRunner({
    sink: jobs,
    clock: costModelClock({ a: 2e-7, b: 0.003 }),
    nextId: () => "job-1",
    sample: { dates: [], cases: Float64Array.from([1, 2, 4, 8]), interval: 1 },
  });
  const { app } = appAt("2026-12-01T03:00:00Z", {}, runEnkf);
  const post = (body: unknown) =>
    app.request("/v1/enkf", {
      method: "POST",
      headers: { authorization: "Bearer key-a", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const unknown = await post({ n_ens: 20, obs_noise: "gaussian:5" });
  assert.equal(unknown.status, 400);
  assert.deepEqual(await unknown.json(), {
    error: "bad_request",
    message:
      'POST /v1/enkf: unknown field "obs_noise"; the fields are observations, obs_interval, n_ens, horizon, seed',
  });
  const seed = await post({ n_ens: 20, seed: 1.5 });
  assert.equal(seed.status, 400);
  assert.equal((await seed.json()).message, "seed: must be an integer >= 0, got 1.5");
  assert.equal(jobs.events.length, 0);
  assert.equal((await post({ n_ens: 20, horizon: 1 })).status, 200);
  assert.equal(jobs.events.length, 1);
});

Deno.test("POST /v1/enkf with every EnKF worker busy and the queue full: 503 with Retry-After, the call metered, the job not", async () => {
  const pool = new EnkfWorkerPool({ size: 1, maxQueued: 0 });
  const jobs = new MemorySink();
  const runEnkf = createEnkfRunner({
    sink: jobs,
    clock: costModelClock({ a: 2e-7, b: 0.003 }),
    nextId: () => "job-1",
    sample: { dates: ["", "", ""], cases: Float64Array.from([1, 2, 4]), interval: 1 },
    pool,
  });
  const { app, sink } = appAt("2026-12-01T03:00:00Z", {}, runEnkf);
  try {
    const running = pool.run([1, 2, 4, 8], { n_ens: 20, seed: 1 }); // the only worker is busy
    const res = await app.request("/v1/enkf", {
      method: "POST",
      body: "{}",
      headers: { authorization: "Bearer key-a" },
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "1");
    assert.deepEqual(await res.json(), {
      error: "busy",
      message: "EnKF workers busy: 1 job(s) running and 0 waiting, the most allowed; retry later",
    });
    assert.deepEqual(
      sink.events.map((e) => [e.tenant_id, e.event_type, e.endpoint, e.status_code]),
      [["dept_a", "api_call", "/v1/enkf", 503]],
    );
    assert.equal(jobs.events.length, 0); // no enkf_run event, not even a failed one
    assert.equal(pool.refused, 1);
    await running;
  } finally {
    pool.close();
  }
});
