import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  executeNotebook,
  formatNotebook,
  installKernel,
  isStripped,
  stripNotebook,
} from "../notebooks/run.ts";
import { requires } from "./support/requires.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/notebooks/${name}`, import.meta.url));

Deno.test({
  name: "notebooks: a broken cell fails the run, a clean notebook passes",
  ...requires("jupyter"),
  async fn() {
    await installKernel();
    const out = await Deno.makeTempDir();
    try {
      const failing = await executeNotebook(fixture("failing.ipynb"), out, { timeoutSeconds: 120 });
      assert.equal(failing.ok, false);
      assert.match(failing.log, /deliberately broken cell/);
      const passing = await executeNotebook(fixture("passing.ipynb"), out, { timeoutSeconds: 120 });
      assert.equal(passing.ok, true, passing.log);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test("notebooks: stripping removes outputs, counts and run metadata, and is detected", () => {
  const withOutput = {
    cells: [
      {
        cell_type: "code",
        execution_count: 3,
        outputs: [{ output_type: "stream" }],
        metadata: {
          execution: { "iopub.execute_input": "2026-12-01T18:00:00.000Z" },
          tags: ["keep"],
        },
      },
      { cell_type: "markdown", metadata: {}, source: ["# title"] },
    ],
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
      language_info: { name: "typescript", version: "5.9.2", file_extension: ".ts" },
    },
  };
  const text = formatNotebook(withOutput);
  assert.equal(isStripped(text), false);
  const stripped = formatNotebook(stripNotebook(withOutput));
  assert.equal(isStripped(stripped), true);
  const nb = JSON.parse(stripped);
  assert.deepEqual(nb.cells[0].outputs, []);
  assert.equal(nb.cells[0].execution_count, null);
  assert.deepEqual(nb.cells[0].metadata, { tags: ["keep"] });
  assert.deepEqual(nb.cells[1], withOutput.cells[1]);
  assert.deepEqual(nb.metadata.language_info, { name: "typescript" });
  assert.deepEqual(nb.metadata.kernelspec, withOutput.metadata.kernelspec);
  // Only the run metadata was left: stripping that alone is detected too.
  const onlyTimings = structuredClone(JSON.parse(stripped));
  onlyTimings.cells[0].metadata.execution = { "shell.execute_reply": "x" };
  assert.equal(isStripped(formatNotebook(onlyTimings)), false);
});
