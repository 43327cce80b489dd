/**
 * Whether a path exists: the one helper the report's modules share.
 *
 * @module
 */

/**
 * Whether `path` exists. A missing path is `false`; any other error (no
 * permission, say) is thrown. `followSymlinks: false` counts a symbolic link
 * itself, even a dangling one (lstat); by default its target must exist.
 *
 * @example
 * ```ts
 * import { exists } from "./exists.ts";
 * await exists("deno.json"); // true
 * await exists("no/such/file"); // false
 * ```
 */
export async function exists(
  path: string,
  options: { followSymlinks?: boolean } = {},
): Promise<boolean> {
  try {
    if (options.followSymlinks === false) await Deno.lstat(path);
    else await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
