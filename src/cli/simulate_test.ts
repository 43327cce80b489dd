import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { parseCommandArgs } from "./command.ts";
import { command, parseObsNoise } from "./simulate.ts";

const SAMPLE = new URL("../../data/obs/sample.csv", import.meta.url).pathname;
const COST_MODEL = new URL("../../data/cost_model.json", import.meta.url).pathname;

async function runQuiet(args: string[]): Promise<string> {
  const ctx = parseCommandArgs(command, args, new Date("2026-11-25T00:00:00Z"))!;
  const out: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...parts: unknown[]) => out.push(parts.join(" "));
  console.error = () => {};
  try {
    await command.run(ctx);
  } finally {
    console.log = log;
    console.error = error;
  }
  return out.join("\n");
}

Deno.test("simulate --dry-run prints the forecast and a reproducible seeded event, and plots", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const args = [
      "--tenant",
      "dept_a",
      "--n-ens",
      "50",
      "--obs",
      SAMPLE,
      "--cost-model",
      COST_MODEL,
      "--ts",
      "2026-10-03T14:05:09Z",
      "--dry-run",
      "--plot",
      `${dir}/fit.svg`,
      "--store",
      `${dir}/events`,
    ];
    const a = await runQuiet(args);
    const b = await runQuiet(args);
    assert.equal(a, b);
    assert.match(a, /EnKF fit for dept_a: 70 daily counts/);
    assert.match(a, /forecast of reported daily cases/);
    const event = JSON.parse(a.split("\n").at(-1)!);
    assert.equal(event.tenant_id, "dept_a");
    assert.equal(event.ts, "2026-10-03T14:05:09.000Z");
    assert.equal(event.n_particles, 50);
    assert.equal(event.n_steps, 98); // 70 days + 28 forecast days
    assert.equal(event.status, "ok");
    assert.equal(
      event.compute_units,
      Math.round(50 * 98 * event.compute_seconds / 1000 * 1e6) / 1e6,
    );
    assert.match(await Deno.readTextFile(`${dir}/fit.svg`), /^<svg/);
    await assert.rejects(Deno.stat(`${dir}/events`), Deno.errors.NotFound); // nothing stored
    const live = await runQuiet([
      ...args.slice(0, 10),
      "--live",
      "--dry-run",
      "--store",
      `${dir}/events`,
    ]);
    assert.notEqual(JSON.parse(live.split("\n").at(-1)!).id, event.id);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simulate refuses bad flags with clear errors", async () => {
  await assert.rejects(runQuiet(["--dry-run"]), /--tenant ID is required/);
  await assert.rejects(
    runQuiet(["--tenant", "dept_a", "--n-ens", "1", "--dry-run"]),
    /--n-ens "1": expected an integer >= 2/,
  );
  await assert.rejects(
    runQuiet(["--tenant", "dept_a", "--obs", "/nope.csv", "--dry-run"]),
    /no such file/,
  );
  await assert.rejects(
    runQuiet(["--tenant", "dept a", "--obs", SAMPLE, "--cost-model", COST_MODEL, "--dry-run"]),
    /tenant_id: must be 1-64/,
  );
  assert.deepEqual(parseObsNoise("gaussian:5:0.1"), { kind: "gaussian", sd: 5, rel: 0.1 });
  assert.throws(() => parseObsNoise("gaussian:-1"), UserError);
});

Deno.test("simulate stores its event through the warehouse, once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const args = [
      "--tenant",
      "dept_c",
      "--n-ens",
      "20",
      "--obs",
      SAMPLE,
      "--cost-model",
      COST_MODEL,
      "--ts",
      "2026-10-05T08:00:00Z",
      "--store",
      `${dir}/events`,
    ];
    const printed = await runQuiet(args);
    await runQuiet(args); // same inputs, same id: a duplicate, not a second event
    const event = JSON.parse(printed.split("\n").at(-1)!);
    const { openWarehouse } = await import("../warehouse/mod.ts");
    const wh = await openWarehouse({ store: `${dir}/events` });
    try {
      const rows = await wh.usage("2026-10");
      assert.equal(rows.length, 1);
      assert.equal(rows[0].tenant_id, "dept_c");
      assert.equal(rows[0].event_type, "enkf_run");
      assert.equal(rows[0].events, 1);
      assert.equal(Number(rows[0].compute_units), event.compute_units);
    } finally {
      await wh.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
