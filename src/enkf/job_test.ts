import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { eventProblem } from "../events/mod.ts";
import { costModelClock, MemorySink } from "../metering/mod.ts";
import { instrumentedEnkfRun, runInstrumentedEnkf } from "./job.ts";
import { simulateSeir } from "./seir.ts";

const MODEL = { a: 2.5e-7, b: 0.002 };

Deno.test("instrumentedEnkfRun returns a valid, reproducible event priced by the cost model", async () => {
  const options = {
    tenant_id: "dept_a",
    ts: "2026-10-03T14:05:09.123Z",
    id: "evt-0001",
    n_ens: 50,
    n_steps: 60,
    seed: 1,
    costModel: MODEL,
  };
  const event = await instrumentedEnkfRun(options);
  assert.equal(eventProblem(event), null);
  assert.deepEqual(event, {
    id: "evt-0001",
    ts: "2026-10-03T14:05:09.123Z",
    tenant_id: "dept_a",
    event_type: "enkf_run",
    compute_units: 0.00825, // 50 x 60 x 0.00275 / 1000
    n_particles: 50,
    n_steps: 60,
    compute_seconds: 0.00275, // 2.5e-7 x 3000 + 0.002
    duration_ms: 2.75,
    status: "ok",
  });
  assert.equal(JSON.stringify(await instrumentedEnkfRun(options)), JSON.stringify(event));
});

Deno.test("instrumentedEnkfRun with a bad size writes a failed event and throws", async () => {
  const sink = new MemorySink();
  await assert.rejects(
    instrumentedEnkfRun({
      tenant_id: "dept_a",
      ts: "2026-10-03T00:00:00.000Z",
      id: "evt-bad",
      n_ens: 1,
      n_steps: 30,
      seed: 1,
      costModel: MODEL,
      sink,
    }),
    UserError,
  );
  assert.equal(sink.events.length, 1);
  assert.equal(sink.events[0].status, "failed");
  assert.equal(sink.events[0].compute_units, 0);
});

Deno.test("runInstrumentedEnkf counts fit and forecast days as steps", async () => {
  const { cases } = simulateSeir({ days: 40, beta: 0.5, seed: 2 });
  const sink = new MemorySink();
  const { result, event } = await runInstrumentedEnkf(cases, { n_ens: 20, horizon: 10 }, {
    tenant_id: "dept_b",
    event_type: "enkf_run",
    sink,
    clock: costModelClock(MODEL, { seed: 9 }),
  });
  assert.equal(result.n_steps, 50);
  assert.equal(event.n_particles, 20);
  assert.equal(event.n_steps, 50);
  assert.deepEqual(sink.events, [event]);
});
