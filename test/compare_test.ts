/**
 * End to end: `deno task compare` on the generated `demo` scenario, as a
 * subprocess, into temporary folders.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hasTool } from "./support/requires.ts";

const cli = new URL("../src/cli.ts", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("deno task compare on the demo scenario: files, dept_a as a row and on the margin chart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "meterbook-compare-" });
  try {
    const store = join(dir, "events");
    const out = join(dir, "reports");
    const gen = await run(["generate", "--scenario", "demo", "--seed", "42", "--store", store]);
    assert.equal(gen.code, 0, gen.stderr);

    const r = await run(["compare", "--store", store, "--out", out, "--charts"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Heaviest compute user: dept_a \(\d+% of compute units/);
    const month = join(out, "2026-10");
    const result = JSON.parse(await Deno.readTextFile(join(month, "compare.json")));
    assert.equal(result.from, "2025-11");
    assert.equal(result.to, "2026-10");
    assert.deepEqual(result.plan_ids, [
      "flat",
      "usage",
      "hybrid",
      "starter",
      "professional",
      "enterprise",
    ]);
    const a = result.tenants.find((t: { tenant_id: string }) => t.tenant_id === "dept_a");
    assert.ok(a.compute_share > 0.45 && a.compute_share < 0.75, `dept_a share ${a.compute_share}`);
    assert.equal(a.current_plan, "hybrid");
    assert.ok(a.cost_minor > 0);
    const flat = result.plans.find((p: { plan: string }) => p.plan === "flat");
    assert.equal(flat.predictability.value, 1);

    const csv = (await Deno.readTextFile(join(month, "compare.csv"))).trimEnd().split("\n");
    assert.equal(csv.length, 1 + result.tenant_months.length * 6);
    assert.ok(csv.some((line) => line.startsWith("2026-10,dept_a,usage,hybrid,false,")));

    const margin = await Deno.readTextFile(join(month, "charts", "margin_by_tenant.svg"));
    assert.ok(margin.includes("dept_a"));
    assert.ok(margin.indexOf("dept_a") < margin.indexOf("dept_b"), "heaviest first");
    if (hasTool("chromium")) await Deno.stat(join(month, "charts", "tradeoff.png"));

    // a range outside the store is a one-line user error
    const bad = await run([
      "compare",
      "--store",
      store,
      "--out",
      out,
      "--from",
      "2030-01",
      "--to",
      "2030-02",
    ]);
    assert.equal(bad.code, 1);
    // (not anchored: Deno may print an npm setup warning line first)
    assert.match(bad.stderr, /meterbook compare: No usage in ".*" from 2030-01 to 2030-02\./);
    assert.ok(!bad.stderr.includes("    at "), "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
