import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { eventProblem } from "../events/mod.ts";
import { costModelClock, type JobClock, realClock } from "./clock.ts";
import { instrument } from "./instrument.ts";
import { type EventSink, MemorySink } from "./sink.ts";

const MODEL = { a: 1e-6, b: 0.01 };

Deno.test("instrument emits one ok event with the seed formula by default", async () => {
  const sink = new MemorySink();
  const { result, event } = await instrument(() => "done", {
    tenant_id: "dept_a",
    event_type: "enkf_run",
    clock: costModelClock(MODEL, { start: "2026-10-01T00:00:00Z", seed: 1 }),
    sink,
    n_particles: 200,
    n_steps: 100,
  });
  assert.equal(result, "done");
  assert.deepEqual(sink.events, [event]);
  assert.equal(eventProblem(event), null);
  assert.equal(event.ts, "2026-10-01T00:00:00.000Z");
  assert.equal(event.compute_seconds, 0.03); // 1e-6 x 20,000 + 0.01
  assert.equal(event.compute_units, 0.6); // 200 x 100 x 0.03 / 1000
  assert.equal(event.status, "ok");
  assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

Deno.test("seeded runs give identical events; the virtual clock advances per job", async () => {
  const run = async () => {
    const sink = new MemorySink();
    const clock = costModelClock(MODEL, { start: "2026-10-01T00:00:00Z", seed: "s" });
    for (let k = 0; k < 3; k++) {
      await instrument(() => k, {
        tenant_id: "dept_b",
        event_type: "enkf_run",
        clock,
        sink,
        describe: () => ({ n_particles: 1000, n_steps: 1000 }), // 1.01 s each
      });
    }
    return sink.events;
  };
  const a = await run(), b = await run();
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.deepEqual(a.map((e) => e.ts), [
    "2026-10-01T00:00:00.000Z",
    "2026-10-01T00:00:01.010Z",
    "2026-10-01T00:00:02.020Z",
  ]);
  assert.equal(new Set(a.map((e) => e.id)).size, 3);
});

Deno.test("a failing job emits a failed event with zero units and its error propagates", async () => {
  const sink = new MemorySink();
  const boom = new Error("diverged");
  await assert.rejects(
    instrument(() => Promise.reject(boom), {
      tenant_id: "dept_a",
      event_type: "enkf_run",
      clock: costModelClock(MODEL),
      sink,
      id: "job-1",
      ts: "2026-10-02T10:00:00Z",
      n_particles: 10,
      n_steps: 5,
    }),
    (error) => error === boom,
  );
  assert.equal(sink.events.length, 1);
  const [event] = sink.events;
  assert.equal(event.id, "job-1");
  assert.equal(event.status, "failed");
  assert.equal(event.compute_units, 0);
  assert.equal(event.n_particles, 10);
  assert.equal(eventProblem(event), null);
});

Deno.test("a sink failure on a failed job surfaces both errors", async () => {
  const broken: EventSink = { write: () => Promise.reject(new Error("disk full")) };
  await assert.rejects(
    instrument(() => {
      throw new Error("job broke");
    }, { tenant_id: "dept_a", event_type: "x", clock: costModelClock(MODEL), sink: broken }),
    (error) => error instanceof AggregateError && error.errors.length === 2,
  );
});

Deno.test("the real clock measures wall and CPU time of any job", async () => {
  const sink = new MemorySink();
  const { event } = await instrument(() => {
    let x = 0;
    for (let i = 0; i < 5e6; i++) x += Math.sqrt(i);
    return x;
  }, {
    tenant_id: "dept_c",
    event_type: "report_gen",
    clock: realClock(),
    sink,
    formula: "seconds",
  });
  assert.equal(event.status, "ok");
  assert.ok(event.compute_seconds! > 0, `cpu seconds ${event.compute_seconds}`);
  assert.ok(event.duration_ms! > 0);
  assert.equal(event.compute_units, event.compute_seconds); // the "seconds" formula
  assert.notEqual(Date.parse(event.ts), NaN);
});

Deno.test("custom formulas plug in by object or by name in a registry", async () => {
  const sink = new MemorySink();
  const clock: JobClock = costModelClock(MODEL);
  const triple = {
    name: "triple",
    description: "3 x seconds",
    units: (j: { compute_seconds: number }) => 3 * j.compute_seconds,
  };
  const a = await instrument(() => 1, {
    tenant_id: "dept_a",
    event_type: "x",
    clock,
    sink,
    formula: triple,
  });
  const b = await instrument(() => 1, {
    tenant_id: "dept_a",
    event_type: "x",
    clock,
    sink,
    formula: "triple",
    formulas: { triple },
  });
  assert.equal(a.event.compute_units, 0.03);
  assert.equal(b.event.compute_units, 0.03);
});

Deno.test("bad options are refused before the job runs", async () => {
  let ran = false;
  const job = () => (ran = true);
  const base = { event_type: "enkf_run", clock: costModelClock(MODEL), sink: new MemorySink() };
  await assert.rejects(instrument(job, { ...base, tenant_id: "bad tenant!" }), UserError);
  await assert.rejects(
    instrument(job, { ...base, tenant_id: "dept_a", formula: "nope" }),
    /Unknown compute-unit formula "nope"; known: seed, seconds, particle_steps/,
  );
  await assert.rejects(
    instrument(job, { ...base, tenant_id: "dept_a", n_steps: -1 }),
    /n_steps: must be an integer >= 0, got -1/,
  );
  await assert.rejects(
    instrument(job, { ...base, tenant_id: "dept_a", ts: "yesterday" }),
    /ts: not a timestamp/,
  );
  assert.equal(ran, false);
});

Deno.test("a job that ran but cannot be described or priced still gets its failed event, and the error propagates", async () => {
  const nan = { name: "nan", description: "broken", units: () => NaN };
  const negative = { name: "negative", description: "broken", units: () => -1 };
  const cases: Array<[string, Partial<Parameters<typeof instrument>[1]>, RegExp]> = [
    ["describe throws", {
      describe: () => {
        throw new Error("no size in the result");
      },
    }, /no size in the result/],
    ["describe gives a bad size", { describe: () => ({ n_steps: -3 }) }, /n_steps: must be/],
    ["formula gives NaN", { formula: nan }, /formula "nan" returned NaN/],
    ["formula gives a negative", { formula: negative }, /formula "negative" returned -1/],
  ];
  for (const [name, extra, message] of cases) {
    const sink = new MemorySink();
    const clock = costModelClock(MODEL, { start: "2026-10-01T00:00:00Z" });
    let ran = 0;
    await assert.rejects(
      instrument(() => ++ran, {
        tenant_id: "dept_a",
        event_type: "enkf_run",
        clock,
        sink,
        id: `job-${name}`,
        n_particles: 10,
        n_steps: 5,
        ...extra,
      }),
      message,
      name,
    );
    assert.equal(ran, 1, name);
    assert.equal(sink.events.length, 1, `${name}: one event`);
    const [event] = sink.events;
    assert.equal(event.status, "failed", name);
    assert.equal(event.compute_units, 0, name);
    assert.equal(event.id, `job-${name}`);
    assert.equal(eventProblem(event), null, name);
    // the watch was stopped once: the virtual clock moved by one job's seconds
    assert.equal(clock.now().toISOString(), "2026-10-01T00:00:00.010Z", name);
  }
});
