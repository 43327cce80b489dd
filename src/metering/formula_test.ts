import assert from "node:assert/strict";
import { COMPUTE_UNIT_FORMULAS, resolveFormula, roundMicro } from "./formula.ts";

const JOB = {
  n_particles: 200,
  n_steps: 100,
  compute_seconds: 0.5,
  wall_seconds: 0.6,
  cpu_seconds: 0.5,
};

Deno.test("the seed formula is the default: n x steps x seconds / 1000", () => {
  assert.equal(resolveFormula().name, "seed");
  assert.equal(resolveFormula().units(JOB), 10);
  assert.equal(resolveFormula("seconds").units(JOB), 0.5);
  assert.equal(resolveFormula("particle_steps").units(JOB), 0.02);
  assert.deepEqual(Object.keys(COMPUTE_UNIT_FORMULAS), ["seed", "seconds", "particle_steps"]);
  assert.throws(() => resolveFormula("toString"), /Unknown compute-unit formula/);
  assert.equal(roundMicro(0.1234564999), 0.123456);
});
