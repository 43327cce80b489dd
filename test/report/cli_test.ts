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
import { sha256File } from "../../src/hash.ts";

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
      // The scenario file is an input too: its name, seed, path and hash.
      assert.deepEqual(manifest.inputs.source, {
        kind: "scenario",
        scenario: "demo",
        seed: 42,
        path: "data/scenarios/demo.json",
        sha256: await sha256File(repo("data/scenarios/demo.json")),
      });
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

      await t.step(
        "--lock-timeout: a run still waiting for another past it stops with one line, nothing written",
        async () => {
          const before = await Deno.readTextFile(`${dir}/r/2026-10/manifest.json`);
          const other = await Deno.open(`${dir}/r`, { read: true }); // another run's lock
          let held = true;
          const release = () => {
            if (held) other.close();
            held = false;
          };
          // a run that ignored the flag would wait for this lock: released after 10 s, it then
          // writes and exits 0, and the test fails rather than hangs
          const guard = setTimeout(release, 10_000);
          try {
            assert.equal(await other.tryLock(true), true);
            const args = [...base, "--format", "html", "--lock-timeout", "0.02"];
            const { code, output } = await cli(args);
            assert.equal(code, 1, output);
            assert.match(
              output,
              new RegExp(
                `^meterbook report: waited 1\\.2 s for the lock on ${dir}/r, and another run still holds it .*, or give it longer with --lock-timeout MIN$`,
                "m",
              ),
            );
            assert.match(output, /waiting for another run writing into .* to finish/);
            assert.doesNotMatch(output, /^\s+at /m, "no stack trace");
          } finally {
            clearTimeout(guard);
            release();
          }
          assert.equal(await Deno.readTextFile(`${dir}/r/2026-10/manifest.json`), before);
          assert.deepEqual([...Deno.readDirSync(`${dir}/r`)].map((e) => e.name), ["2026-10"]);
          for (const bad of ["abc", "-1", " ", " 7 ", "Infinity", "0x10", "1e3", "1e306"]) {
            const { code, output } = await cli([...base, "--lock-timeout", bad]);
            assert.equal(code, 1, output);
            assert.equal(
              output,
              `meterbook report: --lock-timeout ${
                JSON.stringify(bad)
              }: give the minutes to wait for another run writing the same folder, a number >= 0 (default 30)`,
            );
          }
        },
      );

      await t.step("one month of history: the charts left out say why", async () => {
        const html = await Deno.readTextFile(`${dir}/r/2026-10/index.html`);
        for (
          const title of ["Usage over time per tenant", "Revenue by plan", "Pricing trade-off"]
        ) {
          assert.match(
            html,
            new RegExp(
              `Not drawn: ${title}: needs at least 2 months of history \\(this report has 1 month`,
            ),
            title,
          );
        }
      });

      await t.step("--issuer FILE is hashed into the manifest", async () => {
        const issuer = `${dir}/issuer.json`;
        await Deno.writeTextFile(
          issuer,
          JSON.stringify({ name: "Acme Billing", lines: ["1 Road"] }),
        );
        const { code, output } = await cli([...base, "--format", "html", "--issuer", issuer]);
        assert.equal(code, 0, output);
        const manifest = JSON.parse(await Deno.readTextFile(`${dir}/r/2026-10/manifest.json`));
        assert.deepEqual(
          manifest.inputs.files.find((f: { role: string }) => f.role === "issuer"),
          { role: "issuer", path: issuer, sha256: await sha256File(issuer) },
        );
      });

      await t.step(
        "a month that has not ended is refused; --allow-open-month marks it",
        async () => {
          // NOW is 2026-11-25: November has not ended, 2030-01 is in the future.
          for (const month of ["2026-11", "2030-01"]) {
            const { code, output } = await cli([...base, "--format", "html", "--month", month]);
            assert.equal(code, 1, output);
            assert.match(
              output,
              new RegExp(
                `meterbook report: --month ${month}: .* has not ended yet: it ends .*; rerun after ` +
                  ".*, or pass --allow-open-month to write it marked provisional",
              ),
            );
            await assert.rejects(Deno.stat(`${dir}/r/${month}`), Deno.errors.NotFound);
          }
          const { code, output } = await cli([
            ...base,
            "--format",
            "html",
            "--month",
            "2026-11",
            "--allow-open-month",
          ]);
          assert.equal(code, 0, output);
          assert.match(output, /Provisional/);
          const folder = `${dir}/r/2026-11`;
          assert.match(
            await Deno.readTextFile(`${folder}/index.html`),
            // dept_e bills in America/Chicago: November ends at its local midnight, 06:00 UTC
            /<div class="provisional-banner">Provisional: the month has not ended \(November 2026 ends 2026-12-01T06:00Z, midnight in America\/Chicago for tenant dept_e\); /,
          );
          // invoices.json says so too: deno task push refuses it
          const run = JSON.parse(await Deno.readTextFile(`${folder}/invoices.json`));
          assert.equal(run.provisional, true);
          for (const e of Deno.readDirSync(`${folder}/invoices`)) {
            const html = await Deno.readTextFile(`${folder}/invoices/${e.name}`);
            assert.match(html, /Provisional: the month has not ended/, e.name);
          }
          const manifest = JSON.parse(await Deno.readTextFile(`${folder}/manifest.json`));
          assert.equal(manifest.provisional, true);
        },
      );

      await t.step("--out naming a file: one line naming --out and the fix", async () => {
        const file = `${dir}/a-file`;
        await Deno.writeTextFile(file, "x");
        const { code, output } = await cli([...base, "--out", file]);
        assert.equal(code, 1);
        assert.equal(
          output,
          `meterbook report: --out "${file}" is a file, not a folder: pass a folder (default reports), or move the file away`,
        );
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
