import assert from "node:assert/strict";
import { writeFolderAtomically } from "./atomic.ts";

Deno.test("writeFolderAtomically replaces the folder, and a failure leaves the old one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/2026-10`;
    await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/a.txt`, "one"));
    await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/b.txt`, "two"));
    assert.deepEqual([...Deno.readDirSync(target)].map((e) => e.name), ["b.txt"]);
    await assert.rejects(
      writeFolderAtomically(target, async (tmp) => {
        await Deno.writeTextFile(`${tmp}/c.txt`, "half");
        throw new Error("crash");
      }),
      /crash/,
    );
    assert.deepEqual([...Deno.readDirSync(target)].map((e) => e.name), ["b.txt"]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
