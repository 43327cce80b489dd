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

Deno.test("simulate stores its event through the warehouse, once; another job at the same --ts is not a duplicate", async () => {
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
    // another job at the same --ts (another formula, another event type): a second event, stored
    const other = JSON.parse(
      (await runQuiet([...args, "--formula", "particle_steps"])).split("\n").at(-1)!,
    );
    await runQuiet([...args, "--event-type", "report_run"]);
    const { openWarehouse } = await import("../warehouse/mod.ts");
    const wh = await openWarehouse({ store: `${dir}/events` });
    try {
      const rows = await wh.usage("2026-10");
      assert.deepEqual(rows.map((r) => [r.tenant_id, r.event_type, r.events]), [
        ["dept_c", "enkf_run", 2],
        ["dept_c", "report_run", 1],
      ]);
      assert.equal(
        Math.round(Number(rows[0].compute_units) * 1e6),
        Math.round((event.compute_units + other.compute_units) * 1e6),
      );
    } finally {
      await wh.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seeded simulate ids: the same inputs give the same id, any input that changes the event a new one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const model = JSON.parse(await Deno.readTextFile(COST_MODEL));
    await Deno.writeTextFile(`${dir}/a.json`, JSON.stringify({ ...model, a: model.a * 2 }));
    await Deno.writeTextFile(`${dir}/b.json`, JSON.stringify({ ...model, b: model.b * 2 }));
    const sample = await Deno.readTextFile(SAMPLE);
    // one count changed
    await Deno.writeTextFile(
      `${dir}/obs.csv`,
      sample.replace(/,(\d+)\n/, (_m, c) => `,${+c + 1}\n`),
    );
    const base = [
      "--tenant",
      "dept_a",
      "--n-ens",
      "20",
      "--obs",
      SAMPLE,
      "--cost-model",
      COST_MODEL,
      "--ts",
      "2026-10-03T14:05:09Z",
      "--dry-run",
    ];
    const eventOf = async (args: string[]) => {
      const out = await runQuiet(args);
      return JSON.parse(out.split("\n").at(-1)!);
    };
    const set = (flag: string, value: string) => {
      const args = [...base];
      const at = args.indexOf(flag);
      if (at >= 0) args[at + 1] = value;
      else args.push(flag, value);
      return args;
    };
    const first = await eventOf(base);
    assert.equal((await eventOf(base)).id, first.id, "identical inputs, identical id");
    // explicit defaults are the same job
    assert.equal((await eventOf(set("--formula", "seed"))).id, first.id);
    assert.equal((await eventOf(set("--event-type", "enkf_run"))).id, first.id);
    assert.equal((await eventOf(set("--inflation", "1.03"))).id, first.id);
    const variants: Array<[string, string]> = [
      ["--event-type", "report_run"],
      ["--formula", "particle_steps"],
      ["--cost-model", `${dir}/a.json`],
      ["--cost-model", `${dir}/b.json`],
      ["--obs", `${dir}/obs.csv`],
      ["--tenant", "dept_b"],
      ["--n-ens", "21"],
      ["--seed", "2"],
      ["--horizon", "7"],
      ["--inflation", "1.1"],
      ["--obs-noise", "gaussian:5"],
      ["--ts", "2026-10-03T14:05:10Z"],
    ];
    const ids = new Map<string, string>([[first.id, "base"]]);
    for (const [flag, value] of variants) {
      const event = await eventOf(set(flag, value));
      assert.ok(!ids.has(event.id), `${flag} ${value} gave the id of ${ids.get(event.id)}`);
      ids.set(event.id, `${flag} ${value}`);
    }
    // and the variants do change the event: the id must not hide a change of content
    const changed = await eventOf(set("--formula", "particle_steps"));
    assert.notEqual(changed.compute_units, first.compute_units);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simulate: negative or non-decimal numbers get the option's own one-line error", async () => {
  const base = ["--tenant", "dept_a", "--obs", SAMPLE, "--cost-model", COST_MODEL, "--dry-run"];
  await assert.rejects(
    runQuiet([...base, "--seed", "-1"]),
    /^UserError: --seed "-1": expected an integer >= 0$/,
  );
  await assert.rejects(
    runQuiet([...base, "--horizon", "-1"]),
    /--horizon "-1": expected an integer >= 0/,
  );
  await assert.rejects(
    runQuiet([...base, "--n-ens", "0x10"]),
    /--n-ens "0x10": expected an integer >= 2/,
  );
  await assert.rejects(
    runQuiet([...base, "--n-ens", "1e3"]),
    /--n-ens "1e3": expected an integer >= 2/,
  );
  await assert.rejects(
    runQuiet([...base, "--inflation", "1e0"]),
    /^UserError: --inflation "1e0": expected a number >= 1$/,
  );
  await assert.rejects(runQuiet([...base, "--obs-noise", "gaussian:"]), /--obs-noise "gaussian:"/);
  await assert.rejects(runQuiet([...base, "--obs-noise", "gaussian:1e1"]), /--obs-noise/);
  await assert.rejects(
    runQuiet([...base, "--ts", "2026-10-03"]),
    /--ts "2026-10-03": expected a timestamp with its zone/,
  );
});
