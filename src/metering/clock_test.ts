import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { costModelClock, realClock, reportedClock, threadCpuWarning } from "./clock.ts";
import { threadCpuSeconds } from "./thread_cpu.ts";

Deno.test("costModelClock charges a x n x steps + b and derives ids from its seed", () => {
  const clock = costModelClock({ a: 1e-6, b: 0.5 }, { start: "2026-10-01T00:00:00Z", seed: 3 });
  assert.equal(clock.kind, "cost_model");
  const t = clock.start().stop({ n_particles: 1000, n_steps: 500 });
  assert.deepEqual(t, { wall_seconds: 1, cpu_seconds: 1, compute_seconds: 1 });
  assert.equal(clock.now().toISOString(), "2026-10-01T00:00:01.000Z");
  const again = costModelClock({ a: 1e-6, b: 0.5 }, { seed: 3 });
  const other = costModelClock({ a: 1e-6, b: 0.5 }, { seed: 4 });
  const id = clock.nextId();
  assert.equal(id, again.nextId());
  assert.notEqual(id, other.nextId());
  assert.throws(() => costModelClock({ a: 0, b: 0 }, { start: "soon" }), UserError);
});

Deno.test("realClock reports wall and CPU seconds; the basis picks the billed one", () => {
  for (const basis of ["cpu", "wall"] as const) {
    const watch = realClock({ basis }).start();
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    const t = watch.stop({ n_particles: 0, n_steps: 0 });
    assert.ok(x > 0 && t.wall_seconds > 0 && t.cpu_seconds >= 0);
    assert.equal(t.compute_seconds, basis === "cpu" ? t.cpu_seconds : t.wall_seconds);
  }
  assert.match(realClock().nextId(), /^[0-9a-f-]{36}$/);
});

const threadClock = threadCpuSeconds() !== null;

Deno.test({
  name:
    "realClock bills the job's own thread: another thread's CPU work is not counted (process CPU is)",
  ignore: !threadClock,
  async fn() {
    // a worker that burns 300 ms of its own CPU while this thread only waits for it
    const code = `import process from "node:process";
      self.onmessage = () => {
        const t0 = process.threadCpuUsage();
        let x = 0;
        while (process.threadCpuUsage(t0).user < 300_000) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
        self.postMessage(x > 0);
      };`;
    const url = URL.createObjectURL(new Blob([code], { type: "application/javascript" }));
    const worker = new Worker(url, { type: "module" });
    try {
      const thread = realClock().start();
      const whole = realClock({ cpu: "process" }).start();
      const done = new Promise((resolve) => (worker.onmessage = resolve));
      worker.postMessage(null);
      await done;
      const size = { n_particles: 0, n_steps: 0 };
      const own = thread.stop(size).cpu_seconds;
      const all = whole.stop(size).cpu_seconds;
      assert.ok(own < 0.1, `this thread's CPU ${own} s should not include the worker's 0.3 s`);
      assert.ok(all >= 0.25, `the process's CPU ${all} s includes the worker's 0.3 s`);
    } finally {
      worker.terminate();
      URL.revokeObjectURL(url);
    }
  },
});

Deno.test("threadCpuSeconds has sub-millisecond resolution, not scheduler ticks", {
  ignore: !threadClock,
}, () => {
  const cpu = threadCpuSeconds()!;
  const t0 = cpu();
  let t = t0;
  for (let i = 0; i < 1e6 && t === t0; i++) t = cpu(); // spin until the clock moves
  const step = t - t0;
  // a tick-based clock (getrusage, /proc schedstat) would move by 1 ms or more at once
  assert.ok(step > 0 && step < 5e-4, `the first step of the clock was ${step} s`);
});

Deno.test("reportedClock returns the timing measured where the job ran, else its base clock's", () => {
  const base = costModelClock({ a: 0, b: 0.25 }, { start: "2026-10-01T00:00:00Z", seed: 1 });
  const clock = reportedClock(base);
  assert.equal(clock.kind, "cost_model");
  const reported = { wall_seconds: 0.02, cpu_seconds: 0.018, compute_seconds: 0.018 };
  const watch = clock.start();
  clock.report(reported);
  assert.deepEqual(watch.stop({ n_particles: 1, n_steps: 1 }), reported);
  // nothing reported: the base clock measures (the cost model's 0.25 s)
  const fallback = reportedClock(base).start().stop({ n_particles: 1, n_steps: 1 });
  assert.equal(fallback.compute_seconds, 0.25);
});

Deno.test("threadCpuWarning: one line when thread CPU time is unavailable, none when it is", () => {
  assert.equal(threadCpuWarning(() => 1.5), null);
  const line = threadCpuWarning(null)!;
  assert.match(line, /^warning: thread CPU time is unavailable .*whole process's CPU time/);
  assert.doesNotMatch(line, /\n/);
  // this test runs with -A on Linux: FFI is there
  if (Deno.build.os === "linux") assert.equal(threadCpuWarning(), null);
});
