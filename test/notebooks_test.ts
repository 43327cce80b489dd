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

Deno.test("notebooks: stripping removes outputs and counts, and is detected", () => {
  const withOutput = {
    cells: [{ cell_type: "code", execution_count: 3, outputs: [{ output_type: "stream" }] }],
    metadata: {},
  };
  const text = formatNotebook(withOutput);
  assert.equal(isStripped(text), false);
  const stripped = formatNotebook(stripNotebook(withOutput));
  assert.equal(isStripped(stripped), true);
  assert.deepEqual(JSON.parse(stripped).cells[0].outputs, []);
  assert.equal(JSON.parse(stripped).cells[0].execution_count, null);
});
