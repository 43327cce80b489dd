import assert from "node:assert/strict";
import { hashApiKey } from "../metering/auth.ts";
import { readWalEvents } from "../metering/wal.ts";
import { startApiServer } from "./server.ts";

const data = (name: string) => new URL(`../../data/${name}`, import.meta.url).pathname;
export const KEYS: Record<string, string> = {
  dept_a: "test-key-a",
  dept_b: "test-key-b",
  dept_c: "test-key-c",
};
export const KEYS_ENV = Object.entries(KEYS).map(([t, k]) => `${t}:${hashApiKey(k)}`).join(",");

Deno.test("server: N concurrent requests from several tenants give exactly N stored events", async () => {
  const store = await Deno.makeTempDir();
  const logs: string[] = [];
  const server = await startApiServer({
    store,
    plans: data("plans.json"),
    tenants: data("tenants.json"),
    obs: data("obs/sample.csv"),
    port: 0,
    env: { METERBOOK_API_KEYS: KEYS_ENV },
    batchSize: 64,
    flushIntervalMs: 5,
    log: (m) => logs.push(m),
  });
  const client = Deno.createHttpClient({});
  try {
    const tenants = Object.keys(KEYS);
    const N = 300;
    const bad = 20;
    const responses = await Promise.all([
      ...Array.from({ length: N }, (_, i) =>
        fetch(`${server.url}/v1/whoami`, {
          client,
          headers: { authorization: `Bearer ${KEYS[tenants[i % tenants.length]]}` },
        }).then(async (r) => ({
          status: r.status,
          body: await r.json(),
          id: r.headers.get("x-usage-event-id"),
        }))),
      ...Array.from(
        { length: bad },
        () =>
          fetch(`${server.url}/v1/whoami`, { client, headers: { authorization: "Bearer nope" } })
            .then(async (r) => ({
              status: r.status,
              body: await r.json(),
              id: r.headers.get("x-usage-event-id"),
            })),
      ),
    ]);
    assert.equal(responses.filter((r) => r.status === 200).length, N);
    assert.equal(responses.filter((r) => r.status === 401).length, bad);
    // unmetered routes
    assert.equal((await (await fetch(`${server.url}/healthz`, { client })).json()).status, "ok");
    const metrics = await (await fetch(`${server.url}/metrics`, { client })).json();
    assert.equal(metrics.enqueued, N + bad);
    const prom = await (await fetch(`${server.url}/metrics?format=prometheus`, { client })).text();
    assert.match(prom, /meterbook_queue_shed 0/);
    const final = await server.shutdown();
    assert.equal(final.flushed, N + bad);
    const events = await readWalEvents(store);
    assert.equal(events.length, N + bad);
    assert.equal(new Set(events.map((e) => e.id)).size, N + bad);
    const byTenant: Record<string, number> = {};
    for (const e of events) {
      byTenant[e.tenant_id ?? "(none)"] = (byTenant[e.tenant_id ?? "(none)"] ?? 0) + 1;
    }
    assert.deepEqual(byTenant, { dept_a: 100, dept_b: 100, dept_c: 100, "(none)": bad });
    // each response's event carries the tenant that made the request
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const r of responses) {
      const e = byId.get(r.id!);
      assert.ok(e, `event ${r.id} stored`);
      assert.equal(e.tenant_id, r.status === 200 ? r.body.tenant_id : null);
      assert.equal(e.endpoint, "/v1/whoami");
    }
  } finally {
    client.close();
    await server.shutdown();
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("server: POST /v1/enkf runs a metered job; bad input is a 400 that is metered too", async () => {
  const store = await Deno.makeTempDir();
  const server = await startApiServer({
    store,
    plans: data("plans.json"),
    tenants: data("tenants.json"),
    obs: data("obs/sample.csv"),
    port: 0,
    env: { METERBOOK_API_KEYS: KEYS_ENV },
    log: () => {},
  });
  try {
    const res = await fetch(`${server.url}/v1/enkf`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.dept_b}`, "content-type": "application/json" },
      body: JSON.stringify({ n_ens: 20, horizon: 7, seed: 3 }),
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.tenant_id, "dept_b");
    assert.equal(body.event.tenant_id, "dept_b");
    assert.equal(body.event.event_type, "enkf_run");
    assert.equal(body.event.n_particles, 20);
    assert.equal(body.forecast.forecast.q50.length, 7);
    assert.ok(body.forecast.r0.q05 <= body.forecast.r0.q95);
    const bad = await fetch(`${server.url}/v1/enkf`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.dept_b}` },
      body: JSON.stringify({ n_ens: 1 }),
    });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).message, /n_ens: must be an integer from 2 to 2000, got 1/);
    await server.shutdown();
    const events = await readWalEvents(store);
    assert.deepEqual(
      events.map((e) => [e.event_type, e.tenant_id, e.status_code ?? null]).sort(),
      [["api_call", "dept_b", 200], ["api_call", "dept_b", 400], ["enkf_run", "dept_b", null]],
    );
    const job = events.find((e) => e.event_type === "enkf_run")!;
    assert.equal(job.id, body.event.id);
  } finally {
    await server.shutdown();
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("server: GET /v1/usage returns the caller's month-to-date usage priced on its plan", async () => {
  const store = await Deno.makeTempDir();
  const server = await startApiServer({
    store,
    plans: data("plans.json"),
    tenants: data("tenants.json"),
    obs: data("obs/sample.csv"),
    port: 0,
    env: { METERBOOK_API_KEYS: KEYS_ENV },
    log: () => {},
  });
  try {
    const get = (path: string, key: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 5; i++) await (await get("/v1/whoami", KEYS.dept_a)).body?.cancel();
    await (await get("/v1/whoami", KEYS.dept_b)).body?.cancel();
    const res = await get("/v1/usage", KEYS.dept_a);
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.tenant_id, "dept_a");
    assert.equal(body.month, new Date().toISOString().slice(0, 7));
    assert.equal(body.plan, "hybrid");
    // the 5 whoami calls (the usage call itself is recorded after it answers)
    assert.deepEqual(body.usage, [{
      event_type: "api_call",
      events: 5,
      compute_units: "0.005000",
    }]);
    assert.equal(body.total_minor, 50000); // $500 base + 0.005 units x $0.05 rounds to $0.00
    const again = await (await get("/v1/usage", KEYS.dept_a)).json();
    assert.equal(again.usage[0].events, 6); // now including the first usage call, once
    const bad = await get("/v1/usage?month=2026-13", KEYS.dept_a);
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  } finally {
    await server.shutdown();
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("server: a long EnKF job runs on a worker thread; other requests are answered meanwhile", async () => {
  const store = await Deno.makeTempDir();
  const server = await startApiServer({
    store,
    plans: data("plans.json"),
    tenants: data("tenants.json"),
    obs: data("obs/sample.csv"),
    port: 0,
    env: { METERBOOK_API_KEYS: KEYS_ENV },
    log: () => {},
  });
  try {
    let jobDone = false;
    // (2000 + 365) x 2000 = 4.7 M member-steps: about a second of CPU
    const job = fetch(`${server.url}/v1/enkf`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.dept_a}` },
      body: JSON.stringify({ n_ens: 2000, horizon: 365, observations: new Array(2000).fill(10) }),
    }).then(async (res) => {
      jobDone = true;
      return { status: res.status, body: await res.json() };
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the job is running by now
    for (let i = 0; i < 3; i++) {
      const health = await fetch(`${server.url}/healthz`);
      assert.equal((await health.json()).status, "ok");
      const who = await fetch(`${server.url}/v1/whoami`, {
        headers: { authorization: `Bearer ${KEYS.dept_b}` },
      });
      assert.equal((await who.json()).tenant_id, "dept_b");
    }
    assert.equal(jobDone, false, "the requests were answered while the job was still running");
    const { status, body } = await job;
    assert.equal(status, 200);
    assert.equal(body.event.n_steps, 2365);
    assert.ok(body.event.compute_seconds > 0.05, `${body.event.compute_seconds} s of worker CPU`);
  } finally {
    await server.shutdown();
    await Deno.remove(store, { recursive: true });
  }
});
