/**
 * `deno task report` end to end: the fresh-clone demo run, a real store,
 * reruns, exit codes with and without a browser.
 */
import assert from "node:assert/strict";
import { requires } from "../support/requires.ts";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli.ts";
import { Browser } from "../../src/browser/mod.ts";
import { runReport } from "../../src/reports/report.ts";
import { openWarehouse } from "../../src/warehouse/mod.ts";
import { writeScenario } from "../../src/generate/mod.ts";

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const PLANS = repo("data/plans.json");
const TENANTS = repo("data/tenants.json");
const NOW = new Date("2026-11-25T08:00:00Z");
const opts = { sanitizeResources: false, sanitizeOps: false };

async function pdfText(path: string): Promise<string> {
  const out = await new Deno.Command("pdftotext", { args: ["-layout", path, "-"] }).output();
  return new TextDecoder().decode(out.stdout);
}

/**
 * Runs `meterbook report` with stderr and stdout captured: in this process
 * through `main()`, or, when `env` is given, as a child process with that
 * environment. (`Deno.env` is shared by every test module that `--parallel`
 * runs in this process, so setting it here would leak into other tests.)
 */
async function cli(args: string[], env?: Record<string, string>) {
  if (env !== undefined) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", repo("src/cli.ts"), "report", ...args],
      env: { ...env, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, output: decode(out.stdout) + decode(out.stderr) };
  }
  const lines: string[] = [];
  const saved = { error: console.error, log: console.log };
  console.error = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  try {
    const code = await main(["report", ...args], NOW);
    return { code, output: lines.join("\n") };
  } finally {
    console.error = saved.error;
    console.log = saved.log;
  }
}

async function seedStore(dir: string): Promise<string> {
  const store = `${dir}/store`;
  const wh = await openWarehouse({ store });
  try {
    await writeScenario(wh, "seed", { seed: 1 });
  } finally {
    await wh.close();
  }
  return store;
}

Deno.test({
  name: "fresh clone: no store -> the demo scenario, marked Demo data, with PDFs",
  ...requires("chromium", "pdftotext"),
  ...opts,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const browser = await Browser.launch();
    const logs: string[] = [];
    try {
      const result = await runReport({
        store: `${dir}/data/events`,
        plans: PLANS,
        tenants: TENANTS,
        out: `${dir}/reports`,
        now: NOW,
        browser,
        progress: false,
        log: (l) => logs.push(l),
      });
      assert.equal(result.month, "2026-10");
      assert.equal(result.demo, true);
      assert.equal(result.pdf, "written");
      assert.match(logs.join("\n"), /Demo data/);
      // The store is never created: the demo runs in a temporary store.
      await assert.rejects(Deno.stat(`${dir}/data/events`), Deno.errors.NotFound);
      const out = `${dir}/reports/2026-10`;
      for (
        const f of [
          "index.html",
          "report.pdf",
          "usage.csv",
          "invoices.json",
          "invoices.csv",
          "compare.csv",
          "manifest.json",
          "charts/usage_by_tenant.svg",
          "charts/usage_by_tenant.png",
        ]
      ) assert.ok(result.files.includes(f), f);
      const { invoices } = JSON.parse(await Deno.readTextFile(`${out}/invoices.json`));
      assert.ok(invoices.length >= 5);
      for (const inv of invoices) {
        assert.ok(result.files.includes(`invoices/${inv.tenant_id}.pdf`));
        const text = await pdfText(`${out}/invoices/${inv.tenant_id}.pdf`);
        assert.match(text, /Demo data/);
        assert.ok(text.includes(inv.number));
      }
      assert.match(await Deno.readTextFile(`${out}/index.html`), /Demo data/);
      const manifest = JSON.parse(await Deno.readTextFile(`${out}/manifest.json`));
      assert.deepEqual(manifest.inputs.source, { kind: "scenario", scenario: "demo", seed: 42 });
      assert.equal(
        manifest.inputs.files.find((f: { role: string }) => f.role === "plans").sha256.length,
        64,
      );
      const usage = await Deno.readTextFile(`${out}/usage.csv`);
      assert.match(usage, /^tenant_id,event_type,events,compute_units\n/);
      assert.match(usage, /\ndept_a,enkf_run,\d+,\d+\.\d{6}\n/);
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "real store: usage.csv matches the warehouse, reruns are byte-identical, exit codes",
  ...opts,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    try {
      const store = await seedStore(dir);
      const base = ["--store", store, "--plans", PLANS, "--tenants", TENANTS, "--out", `${dir}/r`];
      const noChrome = { PUPPETEER_EXECUTABLE_PATH: `${dir}/no-such-chrome` };

      await t.step(
        "no browser, default formats: HTML written, exit 0, says how to get PDFs",
        async () => {
          const { code, output } = await cli(base, noChrome);
          assert.equal(code, 0, output);
          assert.match(output, /install Chromium|PUPPETEER_EXECUTABLE_PATH/);
          const files = [...Deno.readDirSync(`${dir}/r/2026-10`)].map((e) => e.name).sort();
          assert.ok(files.includes("index.html") && !files.includes("report.pdf"), files.join());
        },
      );

      await t.step("no browser, --format pdf asked for: exit 2", async () => {
        const { code } = await cli([...base, "--format", "pdf"], noChrome);
        assert.equal(code, 2);
      });

      await t.step("usage.csv is the warehouse's rollup", async () => {
        const wh = await openWarehouse({ store });
        const rows = await wh.usage("2026-10");
        await wh.close();
        const csv = await Deno.readTextFile(`${dir}/r/2026-10/usage.csv`);
        const expected = ["tenant_id,event_type,events,compute_units"]
          .concat(
            rows.map((r) => `${r.tenant_id ?? ""},${r.event_type},${r.events},${r.compute_units}`),
          )
          .join("\n") + "\n";
        assert.equal(csv, expected);
        assert.equal(rows.reduce((s, r) => s + r.events, 0), 200);
      });

      await t.step("reruns are byte-identical and leave no temporary folders", async () => {
        const read = async () => {
          const out: Record<string, string> = {};
          for (const e of Deno.readDirSync(`${dir}/r/2026-10`)) {
            if (e.isFile) out[e.name] = await Deno.readTextFile(`${dir}/r/2026-10/${e.name}`);
          }
          return out;
        };
        assert.equal((await cli([...base, "--format", "html"], noChrome)).code, 0);
        const first = await read();
        assert.equal((await cli([...base, "--format", "html"], noChrome)).code, 0);
        assert.deepEqual(await read(), first);
        assert.deepEqual([...Deno.readDirSync(`${dir}/r`)].map((e) => e.name), ["2026-10"]);
      });

      await t.step("user errors exit 1", async () => {
        assert.equal((await cli([...base, "--month", "2026-13"])).code, 1);
        assert.equal((await cli([...base, "--format", "docx"])).code, 1);
        const missing = await cli(["--store", `${dir}/nope`, "--out", `${dir}/r`]);
        assert.equal(missing.code, 1);
        assert.match(missing.output, /No event store/);
      });

      await t.step("a month without events still reports, with a warning", async () => {
        const { code, output } = await cli([...base, "--month", "2026-07", "--format", "html"]);
        assert.equal(code, 0, output);
        assert.match(
          await Deno.readTextFile(`${dir}/r/2026-07/index.html`),
          /No usage events in July 2026/,
        );
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
