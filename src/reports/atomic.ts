/**
 * Atomic output folders: write everything into a temporary folder beside the
 * target, then rename it into place, replacing the old folder.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/**
 * Runs `write(tempDir)` and then renames `tempDir` to `target`, replacing any
 * old `target`. A crash or throw leaves the old folder untouched (and removes
 * the temporary one).
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
): Promise<T> {
  const parent = dirname(target);
  await Deno.mkdir(parent, { recursive: true });
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
