/**
 * The committed notebooks, checked without Jupyter: the three analyst
 * notebooks exist, are stripped, run on the Deno kernel, import the library
 * only through src/mod.ts, explain themselves in markdown, and depend on
 * nothing outside the repository (no data/events, no absolute paths); their
 * code cells type-check against the library (`deno check`), so an API change
 * that breaks a notebook fails here too, without Jupyter.
 * `deno task notebooks` executes them (CI).
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isStripped, listNotebooks } from "../notebooks/run.ts";

const REQUIRED = ["enkf-metering.ipynb", "monthly-invoices.ipynb", "pricing-tradeoffs.ipynb"];

interface Cell {
  cell_type: string;
  source: string[] | string;
}

const notebooks = listNotebooks();
const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

Deno.test("notebooks: the analyst notebooks are all there", () => {
  const names = notebooks.map((p) => basename(p));
  for (const name of REQUIRED) assert.ok(names.includes(name), `notebooks/${name} is missing`);
});

for (const path of notebooks) {
  const name = basename(path);
  Deno.test(`notebooks: ${name} is stripped, on the Deno kernel, self-contained`, async () => {
    const raw = await Deno.readTextFile(path);
    assert.ok(isStripped(raw), `${name} has outputs: run deno task notebooks:strip`);
    const nb = JSON.parse(raw) as { cells: Cell[]; metadata: { kernelspec?: { name?: string } } };
    assert.equal(nb.metadata.kernelspec?.name, "deno", `${name}: kernelspec must be "deno"`);

    const code = nb.cells.filter((c) => c.cell_type === "code").map(text);
    const markdown = nb.cells.filter((c) => c.cell_type === "markdown").map(text);
    assert.ok(code.length > 0, `${name}: no code cells`);
    assert.ok(markdown.length >= code.length / 2, `${name}: explain the cells in markdown`);
    assert.match(markdown[0], /^# /, `${name}: the first cell should be a markdown title`);

    const specifiers = code.flatMap((c) =>
      [...c.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/g)]
        .map((m) => m[1] ?? m[2])
    );
    assert.ok(specifiers.length > 0, `${name}: imports nothing`);
    for (const s of specifiers) {
      assert.equal(
        s,
        "../src/mod.ts",
        `${name}: import the library from "../src/mod.ts", not ${s}`,
      );
    }
    for (const c of code) {
      assert.doesNotMatch(c, /data\/events/, `${name}: must not read data/events (not committed)`);
      assert.doesNotMatch(c, /["'`]\/(work|tmp|home|root)\//, `${name}: absolute path`);
    }
  });
}

Deno.test("notebooks: the code cells type-check against src/mod.ts", async () => {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const dir = await Deno.makeTempDir({ prefix: "meterbook-notebook-check-" });
  try {
    const files: string[] = [];
    for (const path of notebooks) {
      const nb = JSON.parse(await Deno.readTextFile(path)) as { cells: Cell[] };
      const code = nb.cells.filter((c) => c.cell_type === "code").map(text).join("\n\n")
        .replaceAll('"../src/mod.ts"', JSON.stringify(join(root, "src/mod.ts")));
      const file = join(dir, `${basename(path, ".ipynb")}.ts`);
      await Deno.writeTextFile(file, `${code}\nexport {};\n`);
      files.push(file);
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", join(root, "deno.json"), ...files],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
