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
    // the report's chart names, the same set in both commands
    const charts = [...Deno.readDirSync(join(month, "charts"))].map((e) => e.name)
      .filter((n) => n.endsWith(".svg")).sort();
    assert.deepEqual(charts, [
      "margin_by_tenant.svg",
      "pricing_tradeoff.svg",
      "revenue_by_plan.svg",
      "usage_by_tenant.svg",
      "usage_over_time.svg",
    ]);
    if (hasTool("chromium")) await Deno.stat(join(month, "charts", "pricing_tradeoff.png"));

    // a --to after the store's last month is a one-line user error naming the last month
    const future = await run(["compare", "--store", store, "--out", out, "--to", "2030-01"]);
    assert.equal(future.code, 1);
    // (not anchored: Deno may print an npm setup warning line first)
    assert.match(
      future.stderr,
      /meterbook compare: --to 2030-01 is after the last month with data in ".*" \(2026-10\): pass --to 2026-10 or earlier/,
    );
    assert.ok(!future.stderr.includes("    at "), "no stack trace");
    const range = await run([
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
    assert.equal(range.code, 1);
    assert.match(range.stderr, /--to 2030-02 is after the last month with data/);
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), ["2026-10"], "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task compare refuses a folder that holds a report: its manifest would go stale", async () => {
  const dir = await Deno.makeTempDir({ prefix: "meterbook-compare-report-" });
  try {
    const store = join(dir, "events");
    const out = join(dir, "reports");
    const gen = await run(["generate", "--scenario", "seed", "--seed", "1", "--store", store]);
    assert.equal(gen.code, 0, gen.stderr);
    const folder = join(out, "2026-10");
    await Deno.mkdir(folder, { recursive: true });
    const manifest = JSON.stringify({ month: "2026-10", outputs: [] });
    await Deno.writeTextFile(join(folder, "manifest.json"), manifest);
    await Deno.writeTextFile(join(folder, "compare.json"), "{}");

    for (const args of [[], ["--month", "2026-10"], ["--charts"]]) {
      const r = await run(["compare", "--store", store, "--out", out, ...args]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /meterbook compare: ".*2026-10" holds a report \(manifest\.json\), whose hashes would go stale: use another --out, or rerun `deno task report`/,
      );
      assert.equal(r.stderr.trim().split("\n").filter((l) => l.includes("meterbook")).length, 1);
    }
    // --out naming the report folder itself (or a folder in it) would write
    // reports/2026-10/2026-10/ and charts/ inside the report: refused too
    for (const inside of [folder, join(folder, "charts")]) {
      const r = await run(["compare", "--store", store, "--out", inside, "--charts"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /meterbook compare: ".*2026-10\/(charts\/)?2026-10" is inside ".*2026-10", which holds a report \(manifest\.json\), whose hashes would go stale: use another --out/,
      );
    }
    // the report folder is untouched
    assert.equal(await Deno.readTextFile(join(folder, "compare.json")), "{}");
    assert.equal(await Deno.readTextFile(join(folder, "manifest.json")), manifest);
    assert.deepEqual([...Deno.readDirSync(folder)].map((e) => e.name).sort(), [
      "compare.json",
      "manifest.json",
    ]);

    // --out naming a file: one line naming --out and the fix
    const file = join(dir, "not-a-folder");
    await Deno.writeTextFile(file, "x");
    const r = await run(["compare", "--store", store, "--out", file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /meterbook compare: --out ".*not-a-folder" is a file, not a folder: pass a folder/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
