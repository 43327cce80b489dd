/**
 * Checks the `--out` folder before any work: a file where the folder (or one
 * of its parents) should be is a one-line user error, not an OS error about
 * `mkdir`.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { UserError } from "../errors.ts";

/**
 * Throws a {@linkcode UserError} naming `--out` when `out`, or the nearest
 * part of its path that exists, is not a folder. A missing folder is fine
 * (it is created on write).
 *
 * @example
 * ```ts
 * import { checkOutFolder } from "./out_dir.ts";
 * await checkOutFolder(await Deno.makeTempDir()); // ok
 * // await checkOutFolder("README.md") throws: --out "README.md" is a file, not a folder ...
 * ```
 */
export async function checkOutFolder(out: string, flag = "--out"): Promise<void> {
  let path = resolve(out);
  for (;;) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
        throw error;
      }
      const parent = dirname(path);
      if (parent === path) return;
      path = parent;
      continue;
    }
    if (info.isDirectory) return;
    const what = path === resolve(out)
      ? `${flag} ${JSON.stringify(out)} is a file, not a folder`
      : `${flag} ${JSON.stringify(out)}: ${JSON.stringify(path)} is a file, not a folder`;
    throw new UserError(`${what}: pass a folder (default reports), or move the file away`);
  }
}
