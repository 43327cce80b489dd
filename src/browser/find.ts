/**
 * Finding a system Chromium for puppeteer-core.
 *
 * @module
 */

/** The executables looked up on `PATH`, in order, after the fixed paths. */
export const CHROMIUM_NAMES = [
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
] as const;

/** The fixed paths tried before `PATH`. */
export const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"] as const;

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Finds a Chromium (or Chrome) executable: `PUPPETEER_EXECUTABLE_PATH` when it
 * is set (it is authoritative: a set variable that names no file gives
 * `null`), else `/usr/bin/chromium`, else `chromium`, `chromium-browser`,
 * `google-chrome` on `PATH`. Returns `null` when there is none.
 *
 * @example
 * ```ts
 * import { findChromium } from "./find.ts";
 * const path = findChromium(); // "/usr/bin/chromium" on Debian with chromium installed
 * ```
 */
export function findChromium(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): string | null {
  const explicit = env.PUPPETEER_EXECUTABLE_PATH;
  if (explicit !== undefined && explicit !== "") return isFile(explicit) ? explicit : null;
  for (const path of CHROMIUM_PATHS) if (isFile(path)) return path;
  const dirs = (env.PATH ?? "").split(":").filter((dir) => dir !== "");
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const path = `${dir}/${name}`;
      if (isFile(path)) return path;
    }
  }
  return null;
}

/** How to get PDFs when no browser is found: one line for error messages. */
export const CHROMIUM_HINT =
  "install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`) or set " +
  "PUPPETEER_EXECUTABLE_PATH to a Chromium or Chrome executable";
