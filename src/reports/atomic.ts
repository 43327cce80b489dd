/**
 * Atomic output folders: write everything into a temporary folder beside the
 * target, then rename it into place, replacing the old folder. Runs writing
 * into one parent folder take turns (an exclusive lock on the parent), so
 * what a run finds left beside its target is from a run that stopped: an
 * interrupted swap (old folder moved aside, new one not yet in place) is
 * repaired and unfinished temporary folders are removed before it writes.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { errorMessage, UserError } from "../errors.ts";
import { exists } from "./exists.ts";

/** How long a temporary folder must have been left alone before a run removes it (10 minutes). */
export const STALE_TEMP_MS = 10 * 60 * 1000;

/** How long a run waits for another run writing into the same folder before it gives up (30 minutes). */
export const LOCK_TIMEOUT_MS = 30 * 60 * 1000;

/** How often a waiting run tries the lock again. */
const LOCK_RETRY_MS = 100;

/** Options of {@linkcode writeFolderAtomically} and {@linkcode recoverFolder}. */
export interface AtomicFolderOptions {
  /** Told what a repair did, and when a run waits for another (default: nothing). */
  log?: (line: string) => void;
  /**
   * Runs once the parent's lock is held and an interrupted swap is repaired,
   * before anything is written: a check that must see the target as no other
   * run can change it (the report's guard against replacing a real report
   * with demo figures). Throwing stops the run, with the target untouched.
   */
  check?: (target: string) => Promise<void>;
  /**
   * A temporary folder of the target is removed only when nothing in it has
   * changed for this long (default {@linkcode STALE_TEMP_MS}): a second
   * guard, for file systems where the lock does nothing (some NFS mounts).
   */
  staleAfterMs?: number;
  /**
   * The clock, ms since the epoch, for the age of temporary folders (default:
   * the file system's, read from the modification time of this run's new
   * folder, which on a network mount may differ from this machine's).
   */
  now?: () => number;
  /**
   * How long to wait for the folder's lock, held by other runs, before
   * failing with a one-line error, the target untouched (default
   * {@linkcode LOCK_TIMEOUT_MS}): a hung run then stops the scheduled runs
   * behind it with a message rather than piling them up. The wait is this
   * call's, whichever runs held the lock meanwhile; a report on a real store
   * waits once (its write), a demo report up to three times.
   */
  lockTimeoutMs?: number;
}

/**
 * The {@linkcode UserError} of a run that waited `lockTimeoutMs` for the
 * output folder's lock while another run held it; the folder is untouched.
 */
export class LockTimeoutError extends UserError {
  /** The limit that was reached, in ms. */
  readonly timeoutMs: number;
  /** Creates the error for a wait of `timeoutMs` on `parent`. */
  constructor(parent: string, timeoutMs: number) {
    super(
      `waited ${minutesOrSeconds(timeoutMs)} for the lock on ${parent}, and another run ` +
        "still holds it (a run that stops releases it, so that one is still running); " +
        "let it finish or stop it, then run again",
    );
    this.name = "LockTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

function minutesOrSeconds(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6_000) / 10} min` : `${Math.round(ms / 100) / 10} s`;
}

/**
 * Repairs what an interrupted swap can leave beside `target`: with no
 * `target`, the newest `.<name>.old-*` folder (the last complete output) is
 * renamed back into place; every other `.<name>.old-*` folder is a copy
 * already replaced and is removed. Returns what it did, one line each. It
 * waits for a run that is writing beside `target` to finish first.
 *
 * @example
 * ```ts
 * import { recoverFolder } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/.2026-10.old-1a2b3c4d`); // left by a crash mid-swap
 * await recoverFolder(`${dir}/2026-10`); // [".2026-10.old-1a2b3c4d restored as 2026-10 ..."]
 * ```
 */
export function recoverFolder(
  target: string,
  options: AtomicFolderOptions = {},
): Promise<string[]> {
  return withParentLock(target, false, options, () => recover(target, options));
}

/**
 * Runs `work` holding an exclusive lock (flock) on `target`'s parent folder:
 * a lock on the folder itself, so no lock file is left beside the reports.
 * The parent is created first when `create` is set. `work` is told whether
 * it holds the lock: without one when the folder cannot be opened or locked
 * (it does not exist; Windows; an NFS mount that refuses flock on a
 * folder), said in a log line except when it does not exist. Says so too when
 * it has waited a second for another run, and gives up with a
 * {@linkcode UserError} after `options.lockTimeoutMs`.
 *
 * Not reentrant: calling {@linkcode recoverFolder} or
 * {@linkcode writeFolderAtomically} for the same parent from inside a
 * `write` callback waits for itself forever.
 */
async function withParentLock<T>(
  target: string,
  create: boolean,
  options: AtomicFolderOptions,
  work: (locked: boolean) => Promise<T>,
): Promise<T> {
  const timeout = options.lockTimeoutMs ?? LOCK_TIMEOUT_MS;
  if (!(timeout >= 0 && timeout < Infinity)) {
    throw new RangeError(`lockTimeoutMs must be a finite number >= 0, got ${timeout}`);
  }
  const parent = dirname(target);
  if (create) await Deno.mkdir(parent, { recursive: true });
  const unlocked = (error: unknown) => {
    options.log?.(
      `could not lock ${parent} (${errorMessage(error)}): ` +
        "runs writing there at once are not kept apart, and temporary folders are left in place",
    );
    return work(false);
  };
  let lock: Deno.FsFile;
  try {
    lock = await Deno.open(parent, { read: true });
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? await work(false) : await unlocked(error);
  }
  try {
    const started = performance.now();
    let said = false;
    let failure: { error: unknown } | null = null;
    // tried again and again rather than waited for (`lock()`), which could not be given up on
    for (;;) {
      try {
        if (await lock.tryLock(true)) break;
      } catch (error) {
        failure = { error };
        break;
      }
      const waited = performance.now() - started;
      if (waited >= timeout) {
        throw new LockTimeoutError(parent, timeout);
      }
      if (!said && waited >= 1000) {
        said = true;
        options.log?.(`waiting for another run writing into ${parent} to finish`);
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(LOCK_RETRY_MS, timeout - waited))
      );
    }
    return failure ? await unlocked(failure.error) : await work(true);
  } finally {
    lock.close(); // closing releases the lock
  }
}

/** {@linkcode recoverFolder} without the lock (the caller holds it). */
async function recover(target: string, options: AtomicFolderOptions): Promise<string[]> {
  const parent = dirname(target);
  const name = basename(target);
  const prefix = `.${name}.old-`;
  const olds: Array<{ name: string; mtime: number }> = [];
  try {
    for await (const entry of Deno.readDir(parent)) {
      if (!entry.isDirectory || !entry.name.startsWith(prefix)) continue;
      const info = await Deno.stat(join(parent, entry.name));
      olds.push({ name: entry.name, mtime: info.mtime?.getTime() ?? 0 });
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  if (olds.length === 0) return [];
  // Newest first; names break ties so that the choice does not depend on readDir's order.
  olds.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const done: string[] = [];
  let rest = olds;
  if (!(await exists(target, { followSymlinks: false }))) {
    await Deno.rename(join(parent, olds[0].name), target);
    done.push(
      `${olds[0].name} restored as ${name}: an earlier run stopped between moving the old ` +
        "folder aside and putting the new one in place",
    );
    rest = olds.slice(1);
  }
  for (const old of rest) {
    await Deno.remove(join(parent, old.name), { recursive: true });
    done.push(`${old.name} removed: a replaced copy of ${name} left by an interrupted run`);
  }
  for (const line of done) options.log?.(line);
  return done;
}

/**
 * Runs `write(tempDir)` and then renames `tempDir` to `target`, replacing any
 * old `target`. A crash or throw leaves the old folder untouched (and removes
 * the temporary one). Runs writing into one parent folder take turns, so
 * that leftovers found first are a stopped run's: a swap that a crash
 * interrupted is repaired ({@linkcode recoverFolder}), so a report folder is
 * never lost, and unfinished temporary folders of `target` are removed.
 *
 * @example
 * ```ts
 * import { writeFolderAtomically } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFolderAtomically(`${dir}/2026-10`, async (tmp) => {
 *   await Deno.writeTextFile(`${tmp}/usage.csv`, "tenant_id\n");
 * });
 * ```
 */
export function writeFolderAtomically<T>(
  target: string,
  write: (tempDir: string) => Promise<T>,
  options: AtomicFolderOptions = {},
): Promise<T> {
  return withParentLock(target, true, options, async (locked) => {
    await recover(target, options);
    await options.check?.(target);
    return await swapIn(target, write, async (temp) => {
      // with the lock held, no other run is writing here: a temporary folder is a stopped run's
      if (locked) await removeUnfinished(target, temp, options);
    });
  });
}

/**
 * Removes the `.<name>.tmp-*` folders beside `target` that nothing has
 * changed for `staleAfterMs` (the caller holds the parent's lock). One that
 * cannot be removed is a log line, not a failed run.
 */
async function removeUnfinished(
  target: string,
  own: string,
  options: AtomicFolderOptions,
): Promise<void> {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.tmp-`;
  const staleAfter = options.staleAfterMs ?? STALE_TEMP_MS;
  // the file system's own clock (this run's new folder), which on a network mount may differ
  // from this machine's
  const now = options.now ? options.now() : (await Deno.stat(own)).mtime?.getTime() ?? Date.now();
  const found: string[] = [];
  for await (const entry of Deno.readDir(parent)) {
    if (entry.isDirectory && entry.name.startsWith(prefix) && entry.name !== basename(own)) {
      found.push(entry.name);
    }
  }
  for (const name of found.sort()) {
    const path = join(parent, name);
    try {
      const changed = await lastChange(path);
      // gone (renamed into place by a run without the lock), or perhaps still being written
      if (changed === null || now - changed < staleAfter) continue;
      await Deno.remove(path, { recursive: true });
      options.log?.(`${name} removed: the unfinished output of a run that stopped`);
    } catch (error) {
      options.log?.(
        `could not remove ${path} (${
          errorMessage(error)
        }), the unfinished output of a run that stopped: remove it by hand`,
      );
    }
  }
}

/**
 * The newest modification time (ms) of a folder and of everything in it;
 * `null` when the folder is gone.
 */
async function lastChange(path: string): Promise<number | null> {
  try {
    let newest = (await Deno.lstat(path)).mtime?.getTime() ?? 0;
    for await (const entry of Deno.readDir(path)) {
      const child = join(path, entry.name);
      const changed = entry.isDirectory
        ? await lastChange(child)
        : await Deno.lstat(child).then((i) => i.mtime?.getTime() ?? 0, gone);
      if (changed !== null) newest = Math.max(newest, changed);
    }
    return newest;
  } catch (error) {
    return gone(error);
  }
}

/** `null` for a file or folder that disappeared while it was looked at; rethrows anything else. */
function gone(error: unknown): null {
  if (error instanceof Deno.errors.NotFound) return null;
  throw error;
}

/**
 * Writes `target`'s new contents into a temporary folder, then renames it
 * into place; `before` runs once the folder exists, before `write`.
 */
async function swapIn<T>(
  target: string,
  write: (tempDir: string) => Promise<T>,
  before: (tempDir: string) => Promise<void>,
): Promise<T> {
  const parent = dirname(target);
  const name = basename(target);
  const temp = await Deno.makeTempDir({ dir: parent, prefix: `.${name}.tmp-` });
  // a marker only this run puts there: a folder removed while it was written (by another run,
  // where the lock does nothing) and made again by a later write (mkdir -p) lacks it, and holds
  // only part of the output, so it must not replace the target (the inode number may be reused)
  const marker = join(temp, `.writing-${crypto.randomUUID()}`);
  let result: T;
  try {
    await Deno.writeFile(marker, new Uint8Array());
    await before(temp);
    result = await write(temp);
    const intact = await Deno.remove(marker).then(() => true, () => false);
    if (!intact) {
      throw new UserError(
        `The temporary folder ${temp} was removed while ${name} was written (by another run ` +
          `writing into ${parent}, on a file system where locks do nothing?): ${target} is ` +
          "unchanged; run again",
      );
    }
    await Deno.chmod(temp, 0o755).catch(() => {});
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw error;
  }
  let old: string | null = null;
  try {
    await Deno.rename(temp, target);
  } catch {
    // The target exists (and is not empty): move it aside, then swap.
    old = join(parent, `.${name}.old-${crypto.randomUUID().slice(0, 8)}`);
    await Deno.rename(target, old);
    try {
      await Deno.rename(temp, target);
    } catch (error) {
      await Deno.rename(old, target).catch(() => {});
      await Deno.remove(temp, { recursive: true }).catch(() => {});
      throw error;
    }
  }
  if (old) await Deno.remove(old, { recursive: true }).catch(() => {});
  return result;
}
