/**
 * Which system tools a test needs. On a developer's machine without a tool
 * the test is reported as ignored (Deno counts it in its summary, so it is
 * never a silent pass); under CI (`CI=true`, where .ci/run installs every
 * tool) the test always runs, so a missing tool fails it.
 *
 * @example
 * ```ts
 * import { requires } from "./requires.ts";
 * Deno.test({ name: "renders a PDF", ...requires("chromium", "pdftotext"), fn() {} });
 * ```
 *
 * @module
 */

/** A system tool a test may need. */
export type Tool = "chromium" | "pdftotext" | "pdftoppm" | "jupyter" | "postgres";

const PATHS: Record<Exclude<Tool, "postgres">, string[]> = {
  chromium: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"],
  pdftotext: ["/usr/bin/pdftotext"],
  pdftoppm: ["/usr/bin/pdftoppm"],
  jupyter: ["/usr/bin/jupyter", "/usr/local/bin/jupyter"],
};

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Whether the tool is available here. */
export function hasTool(tool: Tool): boolean {
  if (tool === "postgres") return Boolean(Deno.env.get("MB_TEST_PG_URL"));
  if (tool === "chromium" && Deno.env.get("PUPPETEER_EXECUTABLE_PATH")) return true;
  return PATHS[tool].some(exists);
}

/** Whether this run is CI, where every tool is required. */
export function isCI(): boolean {
  return Deno.env.get("CI") === "true";
}

/** Test options: `{ ignore: true }` when a tool is missing outside CI. */
export function requires(...tools: Tool[]): { ignore: boolean } {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length > 0 && !isCI()) {
    return { ignore: true };
  }
  return { ignore: false };
}
