import assert from "node:assert/strict";
import { Hono } from "hono";
import { meter, meteredHandler, type MeterVariables, routeMatcher } from "./middleware.ts";
import { ApiKeyAuth, hashApiKey } from "./auth.ts";
import { EVENT_ID_HEADER, type MeterClock, MeterCore } from "./core.ts";
import { type BatchStore, QueueSink } from "./queue.ts";
import { type EventSink, MemorySink } from "./sink.ts";
import { createUuidV7, uuidV7Time } from "./uuidv7.ts";
import { eventProblem, type UsageEvent } from "../events/mod.ts";

const T0 = Date.UTC(2026, 9, 3, 14, 5, 9, 123);

function fakeClock(): MeterClock & { advance(ms: number): void } {
  let wall = T0;
  let mono = 1000;
  return {
    now: () => wall,
    monotonic: () => mono,
    advance(ms: number) {
      wall += ms;
      mono += ms;
    },
  };
}

function setup(
  extra: { requireStored?: boolean; sink?: EventSink; eventIdHeader?: string | false } = {},
) {
  const sink = new MemorySink();
  const clock = fakeClock();
  const core = new MeterCore({
    sink: extra.sink ?? sink,
    auth: new ApiKeyAuth([
      { tenant_id: "dept_a", sha256: hashApiKey("key-a") },
      { tenant_id: "dept_b", sha256: hashApiKey("key-b") },
    ]),
    clock,
    random: (b) => b.fill(7),
    computeUnits: 0.002,
    requireStored: extra.requireStored,
    eventIdHeader: extra.eventIdHeader,
  });
  const app = new Hono<{ Variables: MeterVariables }>();
  app.onError((_error, c) => c.text("internal error", 500));
  app.get("/healthz", (c) => c.text("ok"));
  app.use("/v1/*", meter(core));
  app.get("/v1/jobs/:id", (c) => {
    clock.advance(12.5);
    return c.json({ tenant: c.get("tenant_id"), id: c.req.param("id") });
  });
  app.post("/v1/boom", () => {
    throw new Error("handler failed");
  });
  return { app, sink, clock, core };
}

const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

/** Runs `fn` with console.error captured: its result and the lines it logged. */
async function capturingErrors<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; errors: string[] }> {
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    return { result: await fn(), errors };
  } finally {
    console.error = original;
  }
}

/** A queue over an array store that flushes only when told to (or at 10 events). */
function arrayQueue(): { stored: UsageEvent[]; queue: QueueSink } {
  const stored: UsageEvent[] = [];
  const store: BatchStore = {
    name: "array",
    writeBatch: (b) => (stored.push(...b), Promise.resolve()),
    close: () => Promise.resolve(),
  };
  return { stored, queue: new QueueSink(store, { flushIntervalMs: 60_000, batchSize: 10 }) };
}

Deno.test("meter: one api_call event per request, with the route pattern, tenant, status, duration", async () => {
  const { app, sink } = setup({ eventIdHeader: EVENT_ID_HEADER });
  const res = await app.request("/v1/jobs/42?x=1", auth("key-b"));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { tenant: "dept_b", id: "42" });
  assert.equal(sink.events.length, 1);
  const event = sink.events[0];
  assert.equal(res.headers.get("x-usage-event-id"), event.id);
  assert.equal(eventProblem(event), null);
  assert.deepEqual({ ...event, id: undefined }, {
    id: undefined,
    ts: "2026-10-03T14:05:09.123Z",
    tenant_id: "dept_b",
    event_type: "api_call",
    compute_units: 0.002,
    endpoint: "/v1/jobs/:id",
    method: "GET",
    status_code: 200,
    duration_ms: 12.5,
  });
  assert.equal(uuidV7Time(event.id), T0);
});

Deno.test("meter: responses carry no event-id header unless one is asked for", async () => {
  const { app } = setup();
  const res = await app.request("/v1/jobs/1", auth("key-a"));
  assert.equal(res.status, 200);
  assert.deepEqual([...res.headers.keys()], ["content-type"]);
  const denied = await app.request("/v1/jobs/1");
  assert.equal(denied.headers.get(EVENT_ID_HEADER), null);
  const named = setup({ eventIdHeader: "x-request-usage" });
  const res2 = await named.app.request("/v1/jobs/1", auth("key-a"));
  assert.equal(res2.headers.get("x-request-usage"), named.sink.events[0].id);
});

Deno.test("meter over a queue: the event is built when its batch is taken, with the request's own duration and status", async () => {
  const { stored, queue } = arrayQueue();
  const { app, clock } = setup({ sink: queue });
  for (let i = 0; i < 3; i++) {
    assert.equal((await app.request(`/v1/jobs/${i}`, auth("key-a"))).status, 200);
  }
  assert.equal((await app.request("/v1/jobs/9")).status, 401);
  assert.equal(stored.length, 0); // accepted and counted, not built yet
  assert.equal(queue.metrics().enqueued, 4);
  assert.equal(queue.depth, 4);
  clock.advance(5000); // time passing before the batch goes out changes nothing in it
  await queue.flush();
  assert.deepEqual(
    stored.map((e) => [e.endpoint, e.status_code, e.duration_ms, e.tenant_id]),
    [
      ["/v1/jobs/:id", 200, 12.5, "dept_a"],
      ["/v1/jobs/:id", 200, 12.5, "dept_a"],
      ["/v1/jobs/:id", 200, 12.5, "dept_a"],
      ["/v1/jobs/:id", 401, 0, null],
    ],
  );
  assert.deepEqual(stored.map((e) => e.ts), [
    "2026-10-03T14:05:09.123Z",
    "2026-10-03T14:05:09.135Z",
    "2026-10-03T14:05:09.148Z",
    "2026-10-03T14:05:09.160Z",
  ]);
  for (const e of stored) assert.equal(eventProblem(e), null);
  await queue.close();
});

Deno.test("meter: the id a handler reads from request_meter is its event's id; the route pattern is looked up once the batch is taken", async () => {
  const { stored, queue } = arrayQueue();
  const { app } = setup({ sink: queue });
  app.get("/v1/whoami", (c) => c.json({ id: c.get("request_meter").id }));
  const seen: string[] = [];
  for (const path of ["/v1/whoami", "/v1/jobs/1", "/v1/whoami"]) {
    const res = await app.request(path, auth("key-b"));
    if (path === "/v1/whoami") seen.push((await res.json()).id);
    else await res.body?.cancel();
  }
  assert.equal(stored.length, 0);
  await queue.flush();
  assert.deepEqual(stored.map((e) => e.endpoint), ["/v1/whoami", "/v1/jobs/:id", "/v1/whoami"]);
  assert.deepEqual([stored[0].id, stored[2].id], seen);
  for (const e of stored) {
    assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(uuidV7Time(e.id), Date.parse(e.ts));
  }
  assert.deepEqual([...stored].map((e) => e.id).sort(), stored.map((e) => e.id)); // time-ordered
  await queue.close();
});

Deno.test("meter: a handler cannot change the tenant, start or id its event is built from", async () => {
  const { app, sink } = setup({ eventIdHeader: EVENT_ID_HEADER });
  let serialized = "";
  let seen = "";
  app.get("/v1/tamper", (c) => {
    const m = c.get("request_meter") as unknown as Record<string, unknown>;
    serialized = JSON.stringify(m);
    const refused: string[] = [];
    for (
      const [field, value] of [["tenant_id", "dept_z"], ["start", -1e6], ["startMs", 0], [
        "id",
        "x",
      ]]
    ) {
      try {
        m[field as string] = value;
      } catch (error) {
        if (error instanceof TypeError) refused.push(field as string);
      }
    }
    // properties defined over the getters, or another prototype: only the handler sees them
    for (const field of ["tenant_id", "start", "startMs", "id"]) {
      Object.defineProperty(m, field, { value: field === "tenant_id" ? "dept_z" : 0 });
    }
    Object.setPrototypeOf(m, { id: "fake", tenant_id: "dept_y", startMs: 0, start: 0 });
    seen = String(m.tenant_id);
    return c.json(refused);
  });
  const res = await app.request("/v1/tamper", auth("key-a"));
  assert.deepEqual(await res.json(), ["tenant_id", "start", "startMs", "id"]);
  assert.equal(seen, "dept_z");
  const [event] = sink.events;
  // the event-id header names the stored event, not what the handler defined over m.id
  assert.equal(res.headers.get(EVENT_ID_HEADER), event.id);
  assert.deepEqual(JSON.parse(serialized), {
    id: event.id,
    startMs: T0,
    start: 1000,
    tenant_id: "dept_a",
  });
  assert.equal(event.tenant_id, "dept_a");
  assert.equal(event.duration_ms, 0);
  assert.equal(event.ts, new Date(T0).toISOString());
  assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  assert.equal(uuidV7Time(event.id), T0);
});

Deno.test("meter: the 503 of a refused event names the event begin made, whatever the handler defined over m.id", async () => {
  const refused: string[] = [];
  const refusing = {
    write: (e: UsageEvent) => (refused.push(e.id), Promise.reject(new Error("disk full"))),
  };
  const { app } = setup({ requireStored: true, sink: refusing, eventIdHeader: EVENT_ID_HEADER });
  app.get("/v1/tamper", (c) => {
    Object.defineProperty(c.get("request_meter"), "id", { value: "fake" });
    return c.text("ok");
  });
  const { result: res, errors } = await capturingErrors(() =>
    app.request("/v1/tamper", auth("key-a"))
  );
  assert.equal(res.status, 503);
  await res.body?.cancel();
  assert.equal(refused.length, 1);
  assert.match(refused[0], /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  assert.equal(res.headers.get(EVENT_ID_HEADER), refused[0]);
  assert.equal(errors.length, 1);
  assert.match(errors[0], new RegExp(`latest ${refused[0]} \\(dept_a GET /v1/tamper\\)`));
});

Deno.test("meter: when onSinkError itself throws, the fallback log line names the event begin made, not the handler's m.id", async () => {
  const refused: string[] = [];
  const core = new MeterCore({
    sink: { write: (e) => (refused.push(e.id), Promise.reject(new Error("disk full"))) },
    auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("key-a") }]),
    clock: fakeClock(),
    onSinkError: () => {
      throw new Error("alerting is down");
    },
  });
  const app = new Hono<{ Variables: MeterVariables }>();
  app.use("/v1/*", meter(core));
  app.get("/v1/tamper", (c) => {
    const m = c.get("request_meter");
    Object.defineProperty(m, "id", { value: "fake" });
    Object.defineProperty(m, "tenant_id", { value: "dept_z" });
    return c.text("ok");
  });
  const { result: res, errors } = await capturingErrors(() =>
    app.request("/v1/tamper", auth("key-a"))
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(refused.length, 1);
  assert.equal(errors.length, 1);
  assert.ok(
    errors[0].startsWith(
      `metering: sink refused event ${
        refused[0]
      } (dept_a GET /v1/tamper): disk full; describing it failed too: alerting is down`,
    ),
    errors[0],
  );
});

Deno.test("MeterCore: a custom nextId is called with the request's start, so a UUIDv7 generator agrees with ts", async () => {
  const clock = fakeClock();
  const sink = new MemorySink();
  const seen: number[] = [];
  const ids = createUuidV7({ now: () => 0 }); // the clock of its own is never read
  const core = new MeterCore({
    sink,
    auth: new ApiKeyAuth([]),
    clock,
    nextId: (atMs) => (seen.push(atMs), ids(atMs)),
  });
  const m = core.begin(null);
  await core.finish(m, "/v1/x", "GET", 401);
  assert.deepEqual(seen, [T0]);
  assert.equal(uuidV7Time(sink.events[0].id), T0);
  assert.equal(sink.events[0].ts, new Date(T0).toISOString());
});

Deno.test("MeterCore.finish: an endpoint given as a function is called when the event is built, not before", () => {
  const built: (() => UsageEvent)[] = [];
  const sink: EventSink = {
    write: () => Promise.reject(new Error("not used")),
    writeLater: (build) => (built.push(build), true),
  };
  const core = new MeterCore({ sink, auth: new ApiKeyAuth([]), clock: fakeClock() });
  let calls = 0;
  const m = core.begin(null);
  assert.equal(core.finish(m, () => (calls++, "/v1/jobs/:id"), "GET", 401), true);
  assert.equal(calls, 0);
  const event = built[0]();
  assert.equal(calls, 1);
  assert.equal(event.endpoint, "/v1/jobs/:id");
  assert.equal(event.id, m.id);
  assert.equal(uuidV7Time(event.id), T0);
});

Deno.test("meter: a missing or unknown key gets 401 and an unauthenticated event without tenant", async () => {
  const { app, sink } = setup();
  const none = await app.request("/v1/jobs/1");
  const wrong = await app.request("/v1/jobs/1", auth("nope"));
  assert.equal(none.status, 401);
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get("www-authenticate"), 'Bearer realm="meterbook"');
  assert.equal(sink.events.length, 2);
  for (const event of sink.events) {
    assert.equal(event.tenant_id, null);
    assert.equal(event.event_type, "unauthenticated");
    assert.equal(event.compute_units, 0);
    assert.equal(event.status_code, 401);
    assert.equal(event.endpoint, "/v1/jobs/:id");
    assert.equal(eventProblem(event), null);
  }
});

Deno.test("meter: a throwing handler still produces an event with status 500", async () => {
  const { app, sink } = setup();
  const res = await app.request("/v1/boom", { method: "POST", ...auth("key-a") });
  assert.equal(res.status, 500);
  assert.equal(sink.events.length, 1);
  assert.equal(sink.events[0].status_code, 500);
  assert.equal(sink.events[0].endpoint, "/v1/boom");
  assert.equal(sink.events[0].method, "POST");
});

Deno.test("meter: unmatched routes are recorded with endpoint null; unmetered routes record nothing", async () => {
  const { app, sink } = setup();
  assert.equal((await app.request("/healthz")).status, 200);
  assert.equal(sink.events.length, 0);
  assert.equal((await app.request("/v1/nothing/here", auth("key-a"))).status, 404);
  assert.equal(sink.events.length, 1);
  assert.equal(sink.events[0].endpoint, null);
  assert.equal(sink.events[0].status_code, 404);
});

Deno.test("meter: ids are time-ordered across requests", async () => {
  const { app, sink } = setup();
  for (let i = 0; i < 50; i++) await app.request(`/v1/jobs/${i}`, auth("key-a"));
  const ids = sink.events.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(new Set(ids).size, 50);
});

Deno.test("meter: with requireStored, a refused event turns the response into a 503", async () => {
  const refusing = { write: () => Promise.reject(new Error("disk full")) };
  const { app } = setup({ requireStored: true, sink: refusing });
  const errors = console.error;
  console.error = () => {};
  try {
    const res = await app.request("/v1/jobs/1", auth("key-a"));
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error, "usage_not_recorded");
  } finally {
    console.error = errors;
  }
  // without requireStored the response is unchanged
  const lenient = setup({ sink: refusing });
  console.error = () => {};
  try {
    assert.equal((await lenient.app.request("/v1/jobs/1", auth("key-a"))).status, 200);
  } finally {
    console.error = errors;
  }
});

Deno.test("meteredHandler: the same metering for a plain Deno.serve handler", async () => {
  const { core, sink } = setup({ eventIdHeader: EVENT_ID_HEADER });
  const handler = meteredHandler(
    (req, _info, tenant) => {
      if (new URL(req.url).pathname === "/v1/fail") throw new Error("boom");
      return Response.json({ tenant });
    },
    core,
    { routes: ["/v1/jobs/:id", "/v1/fail"] },
  );
  const info = {} as Deno.ServeHandlerInfo;
  const ok = await handler(new Request("http://x/v1/jobs/9", auth("key-a")), info);
  assert.deepEqual(await ok.json(), { tenant: "dept_a" });
  assert.equal(ok.headers.get("x-usage-event-id"), sink.events[0].id);
  assert.equal((await handler(new Request("http://x/v1/jobs/9"), info)).status, 401);
  await assert.rejects(
    async () => await handler(new Request("http://x/v1/fail", auth("key-b")), info),
    /boom/,
  );
  assert.deepEqual(
    sink.events.map((e) => [e.tenant_id, e.event_type, e.endpoint, e.status_code]),
    [
      ["dept_a", "api_call", "/v1/jobs/:id", 200],
      [null, "unauthenticated", "/v1/jobs/:id", 401],
      ["dept_b", "api_call", "/v1/fail", 500],
    ],
  );
});

Deno.test("meteredHandler over a queue: a handler that answers at once gets its Response back at once; a full block queue makes it wait", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const stored: UsageEvent[] = [];
  const queue = new QueueSink({
    name: "gated",
    writeBatch: async (batch) => {
      await gate;
      stored.push(...batch);
    },
    close: () => Promise.resolve(),
  }, { capacity: 2, batchSize: 1, backpressure: "block" });
  const handler = meteredHandler(
    (_req, _info, tenant) => Response.json({ tenant }),
    { sink: queue, auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("k") }]) },
    { routes: ["/v1/jobs/:id"] },
  );
  const info = {} as Deno.ServeHandlerInfo;
  const req = () => new Request("http://x/v1/jobs/1", auth("k"));
  const first = handler(req(), info);
  assert.ok(first instanceof Response, "room in the queue: no promise in between");
  assert.ok(handler(req(), info) instanceof Response);
  const third = handler(req(), info); // the queue holds 2: this one waits for room
  assert.ok(third instanceof Promise);
  let answered = false;
  void third.then(() => (answered = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(answered, false, "block: the response waits while the queue is full");
  release();
  assert.equal((await third).status, 200);
  // an async handler still works, and its events are stored like the others
  const later = meteredHandler(
    async () => {
      await new Promise((r) => setTimeout(r, 1));
      return new Response("later");
    },
    { sink: queue, auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("k") }]) },
  );
  assert.equal(await (await later(req(), info)).text(), "later");
  await queue.close();
  assert.deepEqual(stored.map((e) => [e.endpoint, e.status_code]), [
    ["/v1/jobs/:id", 200],
    ["/v1/jobs/:id", 200],
    ["/v1/jobs/:id", 200],
    ["/v1/jobs/1", 200],
  ]);
});

Deno.test("routeMatcher: params, wildcard, no match", () => {
  const match = routeMatcher(["/v1/jobs/:id", "/v1/files/*", "/v1/a.b"]);
  assert.equal(match("/v1/jobs/42"), "/v1/jobs/:id");
  assert.equal(match("/v1/jobs/42/"), "/v1/jobs/:id");
  assert.equal(match("/v1/jobs/42/x"), null);
  assert.equal(match("/v1/files/a/b/c"), "/v1/files/*");
  assert.equal(match("/v1/aXb"), null);
});

Deno.test("meter + shed queue: a full queue drops the event (counted, logged) but not the request", async () => {
  const { QueueSink } = await import("./queue.ts");
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const stored: UsageEvent[] = [];
  const logs: string[] = [];
  const queue = new QueueSink({
    name: "slow",
    writeBatch: async (batch) => {
      await gate;
      stored.push(...batch);
    },
    close: () => Promise.resolve(),
  }, { capacity: 2, batchSize: 1, backpressure: "shed", log: (m) => logs.push(m) });
  const app = new Hono<{ Variables: MeterVariables }>();
  app.use(
    "*",
    meter({
      sink: queue,
      auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("k") }]),
    }),
  );
  app.get("/x", (c) => c.text("ok"));
  const statuses = [];
  for (let i = 0; i < 5; i++) {
    statuses.push((await app.request("/x", { headers: { authorization: "Bearer k" } })).status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
  assert.equal(queue.metrics().shed, 3);
  assert.match(logs[0], /queue full/);
  release();
  await queue.close();
  assert.equal(stored.length, 2);
});

Deno.test("meter: the endpoint is the matched route pattern, also for handlers that declare next", async () => {
  const { core, sink } = setup();
  const app = new Hono<{ Variables: MeterVariables }>();
  app.use("/v1/*", meter(core));
  app.use("/v1/*", async (_c, next) => {
    await next(); // a middleware after the meter that passes every request on
  });
  app.use("/v1/limited/*", (c, _next) => {
    return Promise.resolve(c.json({ error: "rate_limited" }, 429)); // a middleware that answers
  });
  // a route handler with a (c, next) signature is still the handler (it never calls next)
  app.get("/v1/two/:id", (c, _next) => c.json({ id: c.req.param("id") }));
  app.all("/v1/any/:x", (c) => c.text("any"));
  app.get("/v1/limited/:id", (c) => c.text("never reached"));
  // a sub-app with its own onError: hono wraps each of its routes in a (c, next) function
  const sub = new Hono<{ Variables: MeterVariables }>();
  sub.onError((_error, c) => c.text("sub failed", 500));
  sub.all("/files/:name", (c) => c.text(c.req.param("name")));
  sub.get("/boom", () => {
    throw new Error("sub handler failed");
  });
  sub.use("/guarded/*", async (_c, next) => {
    await next();
  });
  sub.get("/guarded/:id", (c) => c.text("ok"));
  app.route("/v1/sub", sub);
  // two levels of sub-apps, each with its own onError: each level wraps the route again
  const inner = new Hono<{ Variables: MeterVariables }>();
  inner.onError((_error, c) => c.text("inner failed", 500));
  inner.all("/deep/:x", (c) => c.text(c.req.param("x")));
  const outer = new Hono<{ Variables: MeterVariables }>();
  outer.onError((_error, c) => c.text("outer failed", 500));
  outer.route("/in", inner);
  app.route("/v1/out", outer);
  // a function mounted as a sub-application, an all() handler that declares next, and a
  // middleware that answers by itself where no handler matches (a CORS-like preflight)
  app.mount(
    "/v1/legacy",
    (req) =>
      new URL(req.url).pathname === "/gone"
        ? new Response(null, { status: 404 })
        : new Response("legacy"),
  );
  app.all("/v1/both/:x", (c, _next) => c.text("both"));
  app.use(
    "/v1/pre/*",
    (c, next) => c.req.method === "OPTIONS" ? Promise.resolve(c.body(null, 204)) : next(),
  );
  const cases: Array<[string, string, number, string | null]> = [
    ["PUT", "/v1/sub/files/a.txt", 200, "/v1/sub/files/:name"],
    ["GET", "/v1/sub/boom", 500, "/v1/sub/boom"],
    ["GET", "/v1/sub/guarded/1", 200, "/v1/sub/guarded/:id"],
    ["GET", "/v1/sub/nothing", 404, null],
    ["PUT", "/v1/out/in/deep/z", 200, "/v1/out/in/deep/:x"],
    ["GET", "/v1/legacy/page", 200, "/v1/legacy/*"],
    ["GET", "/v1/legacy/gone", 404, null], // the mounted app's own 404 reads as a fall-through
    ["PATCH", "/v1/both/1", 200, "/v1/both/:x"],
    ["OPTIONS", "/v1/pre/x", 204, "/v1/pre/*"],
    ["GET", "/v1/pre/x", 404, null],
    ["GET", "/v1/two/5", 200, "/v1/two/:id"],
    ["DELETE", "/v1/any/7", 200, "/v1/any/:x"],
    ["GET", "/v1/limited/3", 429, "/v1/limited/:id"], // the route the request was for
    ["GET", "/v1/missing", 404, null], // fell through every route
    ["POST", "/v1/two/5", 404, null], // no POST route: the GET pattern is not it
  ];
  for (const [method, path, status] of cases) {
    const res = await app.request(path, { method, ...auth("key-a") });
    assert.equal(res.status, status, `${method} ${path}`);
    await res.body?.cancel();
  }
  assert.deepEqual(
    sink.events.map((e) => [e.method, e.status_code, e.endpoint]),
    cases.map(([method, , status, endpoint]) => [method, status, endpoint]),
  );
});

Deno.test("meter: an event's ts and its UUIDv7 time come from one reading of the clock", async () => {
  let wall = T0;
  const ticking: MeterClock = { now: () => wall++, monotonic: () => 0 }; // every reading is 1 ms on
  const sink = new MemorySink();
  const core = new MeterCore({
    sink,
    clock: ticking,
    auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("key-a") }]),
  });
  const app = new Hono<{ Variables: MeterVariables }>();
  app.use("*", meter(core));
  app.get("/x", (c) => c.text("ok"));
  for (let i = 0; i < 3; i++) await (await app.request("/x", auth("key-a"))).body?.cancel();
  await (await app.request("/x")).body?.cancel(); // and the 401 path
  assert.equal(sink.events.length, 4);
  for (const e of sink.events) assert.equal(uuidV7Time(e.id), Date.parse(e.ts), JSON.stringify(e));
});

Deno.test("meter: finish never rejects; an event that cannot be built is a logged refusal, the response unchanged", async () => {
  const broken: MeterClock = { now: () => NaN, monotonic: () => 0 }; // toISOString throws
  const core = new MeterCore({
    sink: new MemorySink(),
    clock: broken,
    auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("k") }]),
  });
  const app = new Hono<{ Variables: MeterVariables }>();
  app.use("*", meter(core));
  app.get("/x", (c) => c.text("ok"));
  const errors = console.error;
  const logged: string[] = [];
  console.error = (m: string) => logged.push(m);
  try {
    const res = await app.request("/x", { headers: { authorization: "Bearer k" } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "ok");
  } finally {
    console.error = errors;
  }
  assert.equal(logged.length, 1);
  assert.match(
    logged[0],
    /sink refused event .*dept_a GET \/x.*describing it failed too: Invalid time value/,
  );
});

Deno.test("meteredHandler: a handler that gives something other than a Response is recorded as a 500 and rejects", async () => {
  const { core, sink } = setup();
  const handler = meteredHandler(
    () => "not a response" as unknown as Response,
    core,
    { routes: ["/v1/jobs/:id"] },
  );
  await assert.rejects(
    async () =>
      await handler(new Request("http://x/v1/jobs/1", auth("key-a")), {} as Deno.ServeHandlerInfo),
    /meteredHandler: the handler gave string, not a Response/,
  );
  assert.deepEqual(sink.events.map((e) => [e.endpoint, e.status_code]), [["/v1/jobs/:id", 500]]);
});
