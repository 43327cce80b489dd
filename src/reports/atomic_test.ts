import assert from "node:assert/strict";
import { recoverFolder, writeFolderAtomically } from "./atomic.ts";

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

Deno.test("a crash between moving the old folder aside and renaming the new one: the next run restores it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/2026-10`;
    // What the crash leaves: the last complete report moved aside, the new one still temporary.
    await Deno.mkdir(`${dir}/.2026-10.old-1a2b3c4d`);
    await Deno.writeTextFile(`${dir}/.2026-10.old-1a2b3c4d/index.html`, "the last report");
    await Deno.mkdir(`${dir}/.2026-10.tmp-xyz`);
    const lines: string[] = [];
    // The next run fails while writing: the old report must be back in place all the same.
    await assert.rejects(
      writeFolderAtomically(target, () => Promise.reject(new Error("crash")), {
        log: (l) => lines.push(l),
      }),
      /crash/,
    );
    assert.equal(await Deno.readTextFile(`${target}/index.html`), "the last report");
    assert.match(lines.join("\n"), /\.2026-10\.old-1a2b3c4d restored as 2026-10/);
    assert.ok(![...Deno.readDirSync(dir)].some((e) => e.name.includes(".old-")));
    // A successful run then replaces it as usual.
    await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/index.html`, "new"));
    assert.equal(await Deno.readTextFile(`${target}/index.html`), "new");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recoverFolder: with the folder in place, leftover old copies are removed; the newest is restored", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/2026-10`;
    await Deno.mkdir(target);
    await Deno.writeTextFile(`${target}/index.html`, "current");
    await Deno.mkdir(`${dir}/.2026-10.old-aaaaaaaa`);
    assert.equal((await recoverFolder(target)).length, 1);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
    assert.equal(await Deno.readTextFile(`${target}/index.html`), "current");

    // No folder and two old copies: the newer one comes back, the other goes.
    await Deno.remove(target, { recursive: true });
    for (const [name, text, mtime] of [["a", "older", 1_000], ["b", "newer", 2_000]] as const) {
      const old = `${dir}/.2026-10.old-${name}`;
      await Deno.mkdir(old);
      await Deno.writeTextFile(`${old}/index.html`, text);
      await Deno.utime(old, mtime, mtime);
    }
    await recoverFolder(target);
    assert.equal(await Deno.readTextFile(`${target}/index.html`), "newer");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
    // Other months' leftovers are not touched.
    await Deno.mkdir(`${dir}/.2026-09.old-cccccccc`);
    await recoverFolder(target);
    assert.ok(Deno.statSync(`${dir}/.2026-09.old-cccccccc`).isDirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
