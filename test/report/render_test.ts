/**
 * End-to-end rendering of a report from a fixture input: real PDFs checked
 * with pdftotext, reproducibility, escaping, path safety, no browser.
 */
import assert from "node:assert/strict";
import { requires } from "../support/requires.ts";
import { Browser } from "../../src/browser/mod.ts";
import { sha256Hex } from "../../src/hash.ts";
import { writeReport } from "../../src/reports/write.ts";
import { AMP_NAME, fixtureInput, SCRIPT_NAME } from "./fixture.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function pdfText(path: string): Promise<string> {
  const out = await new Deno.Command("pdftotext", { args: ["-layout", path, "-"] }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...await listFiles(`${dir}/${e.name}`, `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

Deno.test({
  name: "report folder: real PDFs, reproducible, escaped, and checked against invoices.json",
  ...requires("chromium", "pdftotext"),
  ...opts,
  fn: async (t) => {
    const browser = await Browser.launch({ pages: 3 });
    const root = await Deno.makeTempDir();
    try {
      const a = await writeReport(fixtureInput(), {
        out: `${root}/a`,
        browser,
        progress: false,
      });
      const b = await writeReport(fixtureInput(), {
        out: `${root}/b`,
        browser,
        progress: false,
      });
      const dirA = a.dir;
      const dirB = b.dir;

      await t.step(
        "every output is there, and listed in the manifest with its sha256",
        async () => {
          const files = await listFiles(dirA);
          for (
            const f of [
              "index.html",
              "report.pdf",
              "usage.csv",
              "invoices.json",
              "invoices.csv",
              "compare.csv",
              "manifest.json",
              "invoices/dept_a.pdf",
              "invoices/dept_a.html",
              "invoices/x.evil.pdf",
              "charts/usage_by_tenant.svg",
              "charts/usage_by_tenant.png",
            ]
          ) assert.ok(files.includes(f), `${f} missing from ${files.join(", ")}`);
          assert.deepEqual(files, a.files);
          const manifest = JSON.parse(await Deno.readTextFile(`${dirA}/manifest.json`));
          assert.deepEqual(
            manifest.outputs.map((o: { path: string }) => o.path),
            files.filter((f) => f !== "manifest.json"),
          );
          for (const o of manifest.outputs) {
            assert.equal(
              o.sha256,
              await sha256Hex(await Deno.readFile(`${dirA}/${o.path}`)),
              o.path,
            );
          }
          assert.equal(manifest.meterbook, "0.0.0-test");
          assert.equal(manifest.pdf, "written");
        },
      );

      await t.step("same inputs: byte-identical text files, PDFs identical in text", async () => {
        for (const f of a.files) {
          if (f.endsWith(".pdf")) {
            assert.equal(await pdfText(`${dirA}/${f}`), await pdfText(`${dirB}/${f}`), f);
          } else if (!f.endsWith(".png")) {
            assert.deepEqual(
              await Deno.readFile(`${dirA}/${f}`),
              await Deno.readFile(`${dirB}/${f}`),
              f,
            );
          }
        }
      });

      await t.step("hostile display names render as text", async () => {
        const html = await Deno.readTextFile(`${dirA}/index.html`);
        assert.ok(!html.includes(SCRIPT_NAME));
        assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert.ok(html.includes("O&#39;Brien &amp; Sons"));
        assert.ok(!html.includes("<b>Corp</b>"));
        const invoice = await Deno.readTextFile(`${dirA}/invoices/dept_a.html`);
        assert.ok(!invoice.includes(SCRIPT_NAME));
        const text = await pdfText(`${dirA}/invoices/dept_a.pdf`);
        assert.match(text, /<script>alert\(1\)<\/script>/);
        assert.match(await pdfText(`${dirA}/invoices/dept_b.pdf`), /O'Brien & Sons/);
        assert.ok((await pdfText(`${dirA}/report.pdf`)).includes(AMP_NAME));
      });

      await t.step("self-contained HTML: no network URLs in src or href", async () => {
        for (const f of a.files.filter((f) => f.endsWith(".html"))) {
          const html = await Deno.readTextFile(`${dirA}/${f}`);
          assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i, f);
          assert.doesNotMatch(html, /<link\b|<script\b|@import/i, f);
        }
      });

      await t.step("invoice PDFs carry names, numbers, totals from invoices.json", async () => {
        const { invoices } = JSON.parse(await Deno.readTextFile(`${dirA}/invoices.json`));
        const input = fixtureInput();
        for (const inv of invoices) {
          const text = await pdfText(`${dirA}/invoices/${inv.tenant_id}.pdf`);
          const name = input.tenants[inv.tenant_id].name;
          assert.ok(text.includes(name), `${name} in ${inv.tenant_id}.pdf`);
          assert.ok(text.includes(inv.number), inv.number);
          const total = `$${
            (inv.total_minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })
          }`;
          assert.ok(text.includes(total), `${total} in ${inv.tenant_id}.pdf:\n${text}`);
          assert.match(text, /Issue date\s+1 November 2026/);
          assert.match(text, /Due date\s+1 December 2026/);
          assert.match(text, /Page 1 of 1/);
        }
        const report = await pdfText(`${dirA}/report.pdf`);
        for (const inv of invoices) assert.ok(report.includes(inv.number), inv.number);
        assert.match(report, /Page 1 of \d/);
      });

      await t.step("a tenant id with .. or / never writes outside the folder", async () => {
        for (const bad of ["../../escape", "a/b", ".."]) {
          const input = fixtureInput();
          input.invoices![0] = { ...input.invoices![0], tenant_id: bad };
          await assert.rejects(
            writeReport(input, { out: `${root}/a`, formats: ["html"], progress: false }),
            /Refusing to write/,
          );
        }
        assert.deepEqual(
          await listFiles(root).then((f) =>
            f.filter((x) => !x.startsWith("a/") && !x.startsWith("b/"))
          ),
          [],
        );
        assert.deepEqual(await listFiles(dirA), a.files); // the old folder is untouched
      });

      await t.step("demo data is marked on the report and every invoice", async () => {
        const input = fixtureInput();
        input.demo = "generated demo scenario";
        const r = await writeReport(input, { out: `${root}/demo`, browser, progress: false });
        assert.match(await Deno.readTextFile(`${r.dir}/index.html`), /Demo data/);
        assert.match(await Deno.readTextFile(`${r.dir}/invoices/dept_b.html`), /Demo data/);
        assert.match(await pdfText(`${r.dir}/invoices/dept_b.pdf`), /Demo data/);
        const report = await pdfText(`${r.dir}/report.pdf`);
        const pages = report.split("\f").filter((p) => p.trim() !== "");
        for (const page of pages) assert.match(page, /Demo data/);
      });

      await t.step(
        "a provisional month is marked on every report page and every invoice",
        async () => {
          const input = fixtureInput();
          input.provisional =
            "Provisional: the month has not ended (October 2026 ends 2026-11-01T00:00Z).";
          const r = await writeReport(input, { out: `${root}/open`, browser, progress: false });
          const report = await pdfText(`${r.dir}/report.pdf`);
          const pages = report.split("\f").filter((p) => p.trim() !== "");
          for (const page of pages) assert.match(page, /Provisional/);
          assert.match(report, /Provisional: the month has not ended \(October 2026 ends/);
          for (const inv of input.invoices!) {
            const text = await pdfText(`${r.dir}/invoices/${inv.tenant_id}.pdf`);
            assert.match(text, /Provisional: the month has not ended/, inv.tenant_id);
          }
          const manifest = JSON.parse(await Deno.readTextFile(`${r.dir}/manifest.json`));
          assert.equal(manifest.provisional, true);
        },
      );
    } finally {
      await browser.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "no browser: HTML and data files are written, PDFs skipped with the fix",
  ...opts,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const r = await writeReport(fixtureInput(), {
        out: root,
        launch: { env: { PUPPETEER_EXECUTABLE_PATH: `${root}/no-such-chrome` } },
        progress: false,
      });
      assert.equal(r.pdf, "skipped");
      assert.match(r.pdfSkipReason!, /install Chromium|PUPPETEER_EXECUTABLE_PATH/);
      assert.ok(r.files.includes("index.html"));
      assert.ok(r.files.includes("invoices/dept_a.html"));
      assert.ok(!r.files.some((f) => f.endsWith(".pdf") || f.endsWith(".png")));
      const manifest = JSON.parse(await Deno.readTextFile(`${r.dir}/manifest.json`));
      assert.equal(manifest.pdf, "skipped");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("writeReport: its check runs before anything is written, and a refusal leaves nothing written", async () => {
  const root = await Deno.makeTempDir();
  try {
    const seen: string[] = [];
    await assert.rejects(
      writeReport(fixtureInput(), {
        out: root,
        formats: ["html"],
        progress: false,
        check: (target) => {
          // it runs before anything is written: not even the temporary folder is there yet
          seen.push(target, ...[...Deno.readDirSync(root)].map((e) => e.name));
          return Promise.reject(new Error("a real report is there"));
        },
      }),
      /a real report is there/,
    );
    assert.deepEqual(seen, [`${root}/${fixtureInput().month}`]);
    assert.deepEqual([...Deno.readDirSync(root)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
