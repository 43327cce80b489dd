/**
 * The on-disk layout of the event store:
 *
 * ```
 * <store>/month=YYYY-MM/events.parquet   one file per month, sorted by (ts, id)
 * <store>/quarantine/*.ndjson            rejected rows, each with a `reason`
 * <store>/_meta/ingest.ndjson            one line per import/append (data-quality counts)
 * ```
 *
 * @module
 */
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { errorMessage } from "../errors.ts";

/** The file name of a month's events inside its partition folder. */
export const MONTH_FILE = "events.parquet";

const MONTH_DIR = /^month=(\d{4}-(0[1-9]|1[0-2]))$/;

/** The partition folder of a month. */
export function monthDir(store: string, month: string): string {
  return join(store, `month=${month}`);
}

/** Months that have a partition folder with at least one Parquet file, ascending. */
export async function listMonths(store: string): Promise<string[]> {
  const months: string[] = [];
  try {
    for await (const entry of Deno.readDir(store)) {
      const m = MONTH_DIR.exec(entry.name);
      if (entry.isDirectory && m && (await monthFiles(store, m[1])).length > 0) months.push(m[1]);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return months.sort();
}

/** The Parquet files of one month (only that month's folder is listed), sorted. */
export async function monthFiles(store: string, month: string): Promise<string[]> {
  const dir = monthDir(store, month);
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".parquet") && !entry.name.startsWith(".")) {
        files.push(join(dir, entry.name));
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return files.sort();
}

let tmpCounter = 0;

/**
 * The names {@linkcode writePending} gives the temporary files of store writes:
 * `.events.parquet.tmp-<pid>-<n>` in a month folder, `.<name>.ndjson.tmp-<pid>-<n>` in
 * `quarantine/`. Nothing else writes into those folders (an export into the store is refused).
 */
const MONTH_PENDING = /^\.events\.parquet\.tmp-\d+-\d+$/;
const QUARANTINE_PENDING = /^\..+\.ndjson\.tmp-\d+-\d+$/;

/** The path, with symlinks resolved as far as it exists. */
async function realOrResolved(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    const parent = dirname(resolve(path));
    return parent === resolve(path)
      ? resolve(path)
      : join(await realOrResolved(parent), basename(path));
  }
}

/** The store's own folders besides the months: what is in them is read or swept. */
const STORE_FOLDERS = new Set(["quarantine", "wal", "_meta", "ledger"]);

/**
 * The store folder that `path` would be written into (`month=2026-10`,
 * `quarantine`, `wal`, ...; symlinks resolved), or `null` when it lies
 * outside them (a file directly in the store folder is outside them too).
 * A file written into one could be read as stored events (a `.parquet` in a
 * month folder, an `.ndjson` in `wal/`) or taken for a stopped write's leftover.
 */
export async function storeFolderOf(store: string, path: string): Promise<string | null> {
  const rel = relative(await realOrResolved(store), await realOrResolved(path));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
  const parts = rel.split(sep);
  if (parts.length < 2) return null;
  return MONTH_DIR.test(parts[0]) || STORE_FOLDERS.has(parts[0]) ? parts[0] : null;
}

/** The store's folders that writes put temporary files in, with the names those files have. */
async function writtenFolders(store: string): Promise<Array<{ path: string; pending: RegExp }>> {
  const folders: Array<{ path: string; pending: RegExp }> = [];
  try {
    for await (const entry of Deno.readDir(store)) {
      if (entry.isDirectory && MONTH_DIR.test(entry.name)) {
        folders.push({ path: join(store, entry.name), pending: MONTH_PENDING });
      } else if (entry.isDirectory && entry.name === "quarantine") {
        folders.push({ path: join(store, entry.name), pending: QUARANTINE_PENDING });
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return folders.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Removes the temporary files that writes which stopped before they finished
 * (a killed import) left in the store: `.events.parquet.tmp-<pid>-<n>` in
 * the month folders, `.<name>.ndjson.tmp-<pid>-<n>` in `quarantine/`.
 * Nothing else ever removes them, and a month's can be as large as the month.
 *
 * Call it only while holding the store's write lock: every write makes,
 * renames or removes its temporary files inside the lock, so any found then
 * belong to a write that is gone. A folder that cannot be listed or a file
 * that cannot be removed is reported to `log`, not thrown: the write that
 * called this goes on.
 *
 * @example
 * ```ts
 * import { removeUnfinishedWrites } from "./store.ts";
 * const removed = await removeUnfinishedWrites("data/events", { log: console.error });
 * ```
 *
 * @returns the removed paths, sorted.
 */
export async function removeUnfinishedWrites(
  store: string,
  options: { log?: (line: string) => void } = {},
): Promise<string[]> {
  const removed: string[] = [];
  let folders: Array<{ path: string; pending: RegExp }>;
  try {
    folders = await writtenFolders(store);
  } catch (error) {
    // housekeeping: a store that cannot be listed fails the write itself, with its own error
    options.log?.(`could not look for unfinished writes in ${store} (${errorMessage(error)})`);
    return removed;
  }
  for (const { path: folder, pending } of folders) {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(folder)) {
        if (entry.isFile && pending.test(entry.name)) names.push(entry.name);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        options.log?.(`could not look for unfinished writes in ${folder} (${errorMessage(error)})`);
      }
      continue;
    }
    for (const name of names.sort()) {
      const path = join(folder, name);
      try {
        await Deno.remove(path);
        removed.push(path);
        options.log?.(`${path} removed: the temporary file of a write that stopped`);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        options.log?.(
          `could not remove ${path}, the temporary file of a write that stopped (${
            errorMessage(error)
          }); remove it by hand`,
        );
      }
    }
  }
  return removed;
}

/** A file written and fsynced beside its target, not yet in place. */
export interface PendingFile {
  /** The target path. */
  readonly path: string;
  /** Renames the written file over the target (then fsyncs the folder). */
  commit(): Promise<void>;
  /** Removes the written file; the target is untouched. */
  abort(): Promise<void>;
}

/**
 * The first half of {@linkcode writeAtomic}: `write(tmp)` fills a temporary
 * file beside `path`, which is fsynced; nothing replaces `path` until
 * `commit()`. Lets a caller write several files and put them all in place
 * only when every write succeeded.
 */
export async function writePending(
  path: string,
  write: (tmp: string) => Promise<void>,
): Promise<PendingFile> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${Deno.pid}-${++tmpCounter}`);
  const abort = () => Deno.remove(tmp).catch(() => {});
  try {
    await write(tmp);
    const file = await Deno.open(tmp, { read: true, write: true });
    try {
      await file.sync();
    } finally {
      file.close();
    }
  } catch (error) {
    await abort();
    throw error;
  }
  return {
    path,
    async commit() {
      try {
        await Deno.rename(tmp, path);
      } catch (error) {
        await abort();
        throw error;
      }
      await syncDir(dir);
    },
    abort,
  };
}

/**
 * Writes a file atomically: `write(tmp)` fills a temporary file beside
 * `path`, which is then fsynced and renamed over `path`.
 */
export async function writeAtomic(
  path: string,
  write: (tmp: string) => Promise<void>,
): Promise<void> {
  await (await writePending(path, write)).commit();
}

export { nextMonth, previousMonth } from "../events/month.ts";

/** fsyncs a folder so that a rename in it is durable (best effort: not every OS allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await Deno.open(dir, { read: true });
    try {
      await handle.sync();
    } finally {
      handle.close();
    }
  } catch {
    // e.g. Windows cannot open a folder as a file
  }
}
