import assert from "node:assert/strict";
import { recoverFolder, STALE_TEMP_MS, writeFolderAtomically } from "./atomic.ts";
import { UserError } from "../errors.ts";

/** Dates a folder and everything in it back to 1970, as a long-dead run's. */
async function age(path: string): Promise<void> {
  for await (const entry of Deno.readDir(path)) {
    if (entry.isDirectory) await age(`${path}/${entry.name}`);
    else await Deno.utime(`${path}/${entry.name}`, 1_000, 1_000);
  }
  await Deno.utime(path, 1_000, 1_000);
}

/** Runs `fn` in a new temporary folder, removed afterwards. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("writeFolderAtomically replaces the folder, and a failure leaves the old one", () =>
  inTempDir(async (dir) => {
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
  }));

Deno.test("a crash between moving the old folder aside and renaming the new one: the next run restores it", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    // What the crash leaves: the last complete report moved aside, the new one still temporary.
    await Deno.mkdir(`${dir}/.2026-10.old-1a2b3c4d`);
    await Deno.writeTextFile(`${dir}/.2026-10.old-1a2b3c4d/index.html`, "the last report");
    await Deno.mkdir(`${dir}/.2026-10.tmp-xyz`);
    await age(`${dir}/.2026-10.tmp-xyz`);
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
  }));

Deno.test("recoverFolder: with the folder in place, leftover old copies are removed; the newest is restored", () =>
  inTempDir(async (dir) => {
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
  }));

Deno.test("writeFolderAtomically: runs writing into one folder take turns, and a stopped run's temporary folders are removed", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    // left by a run killed while writing, of this month and of another
    await Deno.mkdir(`${dir}/.2026-10.tmp-killed`);
    await Deno.writeTextFile(`${dir}/.2026-10.tmp-killed/half.pdf`, "%PDF-1.4 half");
    await Deno.mkdir(`${dir}/.2026-09.tmp-killed`);
    await age(`${dir}/.2026-10.tmp-killed`);
    await age(`${dir}/.2026-09.tmp-killed`);
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
  }));

Deno.test("writeFolderAtomically: two runs of one month at once both finish, one after the other, with nothing left beside it", () =>
  inTempDir(async (dir) => {
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
  }));

Deno.test("recoverFolder: a folder whose parent does not exist has nothing to recover, and is not created", () =>
  inTempDir(async (dir) => {
    assert.deepEqual(await recoverFolder(`${dir}/missing/2026-10`), []);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  }));

Deno.test("writeFolderAtomically: a temporary folder changed in the last 10 minutes is kept (a run the lock may not see)", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    await Deno.mkdir(`${dir}/.2026-10.tmp-live/charts`, { recursive: true });
    await Deno.writeTextFile(`${dir}/.2026-10.tmp-live/index.html`, "being written");
    await Deno.writeTextFile(`${dir}/.2026-10.tmp-live/charts/a.svg`, "<svg/>");
    await age(`${dir}/.2026-10.tmp-live`);
    // one file deep inside is rewritten now (its folders' times stay old)
    await Deno.writeTextFile(`${dir}/.2026-10.tmp-live/charts/a.svg`, "<svg>now</svg>");
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/a`, "1"), { log });
    assert.deepEqual(lines, []);
    assert.ok(Deno.statSync(`${dir}/.2026-10.tmp-live`).isDirectory);
    // once nothing in it has changed for STALE_TEMP_MS, it is a stopped run's
    const later = () => Date.now() + STALE_TEMP_MS + 1_000;
    await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/a`, "2"), {
      log,
      now: later,
    });
    assert.deepEqual(lines, [
      ".2026-10.tmp-live removed: the unfinished output of a run that stopped",
    ]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
  }));

Deno.test("writeFolderAtomically: a stopped run's folder that cannot be removed is a log line, and the run goes on", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    const stuck = `${dir}/.2026-10.tmp-stuck`;
    await Deno.mkdir(stuck);
    await age(stuck);
    const remove = Deno.remove;
    Deno.remove = (path, options) =>
      String(path) === stuck
        ? Promise.reject(new Deno.errors.PermissionDenied("Permission denied (os error 13)"))
        : remove(path, options);
    const lines: string[] = [];
    try {
      await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/a`, "1"), {
        log: (l) => lines.push(l),
      });
    } finally {
      Deno.remove = remove;
    }
    assert.equal(await Deno.readTextFile(`${target}/a`), "1");
    assert.deepEqual(lines, [
      `could not remove ${stuck} (Permission denied (os error 13)), the unfinished output of a ` +
      "run that stopped: remove it by hand",
    ]);
  }));

Deno.test("writeFolderAtomically: where the folder cannot be locked (NFS), it says so and writes without the lock, leaving temporary folders", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    await Deno.mkdir(`${dir}/.2026-10.tmp-old`);
    await age(`${dir}/.2026-10.tmp-old`);
    const tryLock = Deno.FsFile.prototype.tryLock;
    Deno.FsFile.prototype.tryLock = () =>
      Promise.reject(new Error("Bad file descriptor (os error 9)"));
    const lines: string[] = [];
    try {
      // a run longer than the second after which a waiting run says so: this one waits for nobody
      await writeFolderAtomically(target, async (tmp) => {
        await new Promise((r) => setTimeout(r, 1200));
        await Deno.writeTextFile(`${tmp}/a`, "1");
      }, { log: (l) => lines.push(l) });
    } finally {
      Deno.FsFile.prototype.tryLock = tryLock;
    }
    assert.equal(await Deno.readTextFile(`${target}/a`), "1");
    assert.deepEqual(lines, [
      `could not lock ${dir} (Bad file descriptor (os error 9)): runs writing there at once are ` +
      "not kept apart, and temporary folders are left in place",
    ]);
    assert.ok(Deno.statSync(`${dir}/.2026-10.tmp-old`).isDirectory);
  }));

Deno.test("writeFolderAtomically: a temporary folder removed and made again while it was written never replaces the target", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/index.html`, "whole"));
    const error = await writeFolderAtomically(target, async (tmp) => {
      await Deno.writeTextFile(`${tmp}/index.html`, "first half");
      // what another run without the lock would do, then this run's next write
      await Deno.remove(tmp, { recursive: true });
      await Deno.mkdir(`${tmp}/charts`, { recursive: true });
      await Deno.writeTextFile(`${tmp}/charts/a.svg`, "second half");
    }).then(() => null, (e) => e);
    assert.ok(error instanceof UserError, String(error));
    assert.match(error.message, /was removed while 2026-10 was written .* is unchanged; run again/);
    assert.equal(await Deno.readTextFile(`${target}/index.html`), "whole");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
  }));

Deno.test("writeFolderAtomically: check runs under the lock, so it sees what a run it waited for wrote", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    const other = await Deno.open(dir, { read: true });
    await other.lock(true);
    let wrote = false;
    const run = writeFolderAtomically(target, async (tmp) => {
      wrote = true;
      await Deno.writeTextFile(`${tmp}/manifest.json`, '{"demo":true}');
    }, {
      check: async (t) => {
        const text = await Deno.readTextFile(`${t}/manifest.json`).catch(() => "{}");
        if (JSON.parse(text).demo === false) throw new UserError(`${t} holds a real report`);
      },
    }).then(() => null, (e) => e);
    // the run it waits for puts a real report in place, then lets go
    await Deno.mkdir(target);
    await Deno.writeTextFile(`${target}/manifest.json`, '{"demo":false}');
    await new Promise((r) => setTimeout(r, 100));
    other.close();
    const error = await run;
    assert.ok(error instanceof UserError, String(error));
    assert.equal(error.message, `${target} holds a real report`);
    assert.equal(wrote, false);
    assert.equal(await Deno.readTextFile(`${target}/manifest.json`), '{"demo":false}');
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
  }));

Deno.test("writeFolderAtomically: a temporary folder that disappears while it is looked at is passed over without a word", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    const other = `${dir}/.2026-10.tmp-other`;
    await Deno.mkdir(other);
    await Deno.writeTextFile(`${other}/index.html`, "x");
    await age(other);
    // as if a run without the lock renamed it into place between the listing and the look
    const lstat = Deno.lstat;
    Deno.lstat = (path) =>
      String(path).startsWith(other)
        ? Promise.reject(new Deno.errors.NotFound(`No such file or directory: ${path}`))
        : lstat(path);
    const lines: string[] = [];
    try {
      await writeFolderAtomically(target, (tmp) => Deno.writeTextFile(`${tmp}/a`, "1"), {
        log: (l) => lines.push(l),
      });
    } finally {
      Deno.lstat = lstat;
    }
    assert.deepEqual(lines, []);
    assert.equal(await Deno.readTextFile(`${target}/a`), "1");
  }));

Deno.test("writeFolderAtomically: check sees the report an interrupted swap left aside, put back first", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    await Deno.mkdir(`${dir}/.2026-10.old-1a2b3c4d`);
    await Deno.writeTextFile(`${dir}/.2026-10.old-1a2b3c4d/manifest.json`, '{"demo":false}');
    const error = await writeFolderAtomically(
      target,
      (tmp) => Deno.writeTextFile(`${tmp}/a`, "1"),
      {
        check: async (t) => {
          const text = await Deno.readTextFile(`${t}/manifest.json`).catch(() => "{}");
          if (JSON.parse(text).demo === false) throw new UserError(`${t} holds a real report`);
        },
      },
    ).then(() => null, (e) => e);
    assert.ok(error instanceof UserError, String(error));
    assert.equal(await Deno.readTextFile(`${target}/manifest.json`), '{"demo":false}');
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
  }));

Deno.test("writeFolderAtomically and recoverFolder: a run that waits longer than lockTimeoutMs gives up with a one-line error, writing nothing", () =>
  inTempDir(async (dir) => {
    const target = `${dir}/2026-10`;
    await Deno.mkdir(target);
    await Deno.writeTextFile(`${target}/index.html`, "old");
    // a hung run: alive, so its lock is never released
    const hung = await Deno.open(dir, { read: true });
    try {
      await hung.lock(true);
      const lines: string[] = [];
      let written = false;
      const started = performance.now();
      // a timeout that never fires fails the test rather than hanging it
      let guard: ReturnType<typeof setTimeout> | undefined;
      const tooLong = new Promise<never>((_, reject) => {
        guard = setTimeout(() => reject(new Error("still waiting after 5 s")), 5000);
      });
      const run = writeFolderAtomically(target, async (tmp) => {
        await Deno.writeTextFile(`${tmp}/index.html`, "new");
        written = true;
      }, { log: (l) => lines.push(l), lockTimeoutMs: 1200 });
      await assert.rejects(
        Promise.race([run, tooLong]).finally(() => clearTimeout(guard)),
        (error: Error) => {
          assert.ok(error instanceof UserError, String(error));
          assert.equal(
            error.message,
            `waited 1.2 s for the lock on ${dir}, and another run still holds it ` +
              "(a run that stops releases it, so that one is still running); " +
              "let it finish or stop it, then run again",
          );
          return true;
        },
      );
      const waited = performance.now() - started;
      assert.ok(waited >= 1200 && waited < 5000, `gave up after ${waited} ms`);
      assert.equal(written, false);
      assert.deepEqual(lines, [`waiting for another run writing into ${dir} to finish`]);
      assert.equal(await Deno.readTextFile(`${target}/index.html`), "old");
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["2026-10"]);
      await assert.rejects(
        recoverFolder(target, { lockTimeoutMs: 200 }),
        /waited 0\.2 s for the lock/,
      );
      await assert.rejects(
        recoverFolder(target, { lockTimeoutMs: NaN }),
        /finite number >= 0, got NaN/,
      );
    } finally {
      hung.close();
    }
    // once the hung run is gone, the next run goes through
    await writeFolderAtomically(target, async (tmp) => {
      await Deno.writeTextFile(`${tmp}/index.html`, "new");
    }, { lockTimeoutMs: 1200 });
    assert.equal(await Deno.readTextFile(`${target}/index.html`), "new");
  }));
