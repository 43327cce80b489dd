/**
 * Atomic output folders: write everything into a temporary folder beside the
 * target, then rename it into place, replacing the old folder. A run that
 * died mid-swap (old folder moved aside, new one not yet in place) is
 * repaired by the next run before it writes.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { exists } from "./exists.ts";

/** Options of {@linkcode writeFolderAtomically} and {@linkcode recoverFolder}. */
export interface AtomicFolderOptions {
  /** Told what a repair did (default: nothing). */
  log?: (line: string) => void;
}

/**
 * Repairs what an interrupted swap can leave beside `target`: with no
 * `target`, the newest `.<name>.old-*` folder (the last complete output) is
 * renamed back into place; every other `.<name>.old-*` folder is a copy
 * already replaced and is removed. Returns what it did, one line each.
 *
 * @example
 * ```ts
 * import { recoverFolder } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/.2026-10.old-1a2b3c4d`); // left by a crash mid-swap
 * await recoverFolder(`${dir}/2026-10`); // [".2026-10.old-1a2b3c4d restored as 2026-10 ..."]
 * ```
 */
export async function recoverFolder(
  target: string,
  options: AtomicFolderOptions = {},
): Promise<string[]> {
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
 * the temporary one). Leftovers of a swap that a crash interrupted are
 * repaired first ({@linkcode recoverFolder}), so a report folder is never lost.
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
export async function writeFolderAtomically<T>(
  target: string,
  write: (tempDir: string) => Promise<T>,
  options: AtomicFolderOptions = {},
): Promise<T> {
  const parent = dirname(target);
  await Deno.mkdir(parent, { recursive: true });
  await recoverFolder(target, options);
  const name = basename(target);
  const temp = await Deno.makeTempDir({ dir: parent, prefix: `.${name}.tmp-` });
  let result: T;
  try {
    result = await write(temp);
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
