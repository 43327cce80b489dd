import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { costModelClock, realClock } from "./clock.ts";

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
