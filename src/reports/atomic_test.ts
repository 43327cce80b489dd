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
    // the crashed run's unfinished folder is gone too, said in a line
    assert.match(lines.join("\n"), /\.2026-10\.tmp-xyz removed: the unfinished output/);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
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

Deno.test("writeFolderAtomically: runs writing into one folder take turns, and a stopped run's temporary folders are removed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/2026-10`;
    // left by a run killed while writing, of this month and of another
    await Deno.mkdir(`${dir}/.2026-10.tmp-killed`);
    await Deno.writeTextFile(`${dir}/.2026-10.tmp-killed/half.pdf`, "%PDF-1.4 half");
    await Deno.mkdir(`${dir}/.2026-09.tmp-killed`);
    // another run holds the folder (as a second process would: a lock on its own open file)
    const other = await Deno.open(dir, { read: true });
    await other.lock(true);
    const lines: string[] = [];
    let written = false;
    const run = writeFolderAtomically(target, async (tmp) => {
      await Deno.writeTextFile(`${tmp}/index.html`, "new");
      written = true;
    }, { log: (l) => lines.push(l) });
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(written, false, "it must not write while another run holds the folder");
    assert.ok(await Deno.stat(`${dir}/.2026-10.tmp-killed`), "nor clean up after it");
    assert.deepEqual(lines, [`waiting for another run writing into ${dir} to finish`]);
    other.close();
    await run;
    assert.equal(await Deno.readTextFile(`${target}/index.html`), "new");
    assert.deepEqual(lines.slice(1), [
      ".2026-10.tmp-killed removed: the unfinished output of a run that stopped",
    ]);
    // only this month's leftovers are its to remove
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      ".2026-09.tmp-killed",
      "2026-10",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFolderAtomically: two runs of one month at once both finish, one after the other, with nothing left beside it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/2026-10`;
    const order: string[] = [];
    const run = (label: string) =>
      writeFolderAtomically(target, async (tmp) => {
        order.push(`${label} starts`);
        await Deno.writeTextFile(`${tmp}/index.html`, label);
        await new Promise((r) => setTimeout(r, 50));
        order.push(`${label} ends`);
      });
    await Promise.all([run("a"), run("b")]);
    // either may get the folder first; the other starts only once the first has ended
    const [first, second] = order[0] === "a starts" ? ["a", "b"] : ["b", "a"];
    assert.deepEqual(order, [
      `${first} starts`,
      `${first} ends`,
      `${second} starts`,
      `${second} ends`,
    ]);
    assert.equal(await Deno.readTextFile(`${target}/index.html`), second);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recoverFolder: a folder whose parent does not exist has nothing to recover, and is not created", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await recoverFolder(`${dir}/missing/2026-10`), []);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
