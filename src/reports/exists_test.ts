import assert from "node:assert/strict";
import { join } from "node:path";
import { exists } from "./exists.ts";

Deno.test("exists: a file or folder is there, a missing path is not; a dangling link counts only with lstat", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-exists-" });
  try {
    await Deno.writeTextFile(join(dir, "f"), "x");
    assert.equal(await exists(join(dir, "f")), true);
    assert.equal(await exists(dir), true);
    assert.equal(await exists(join(dir, "missing")), false);
    await Deno.symlink(join(dir, "missing"), join(dir, "link"));
    assert.equal(await exists(join(dir, "link")), false);
    assert.equal(await exists(join(dir, "link"), { followSymlinks: false }), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
