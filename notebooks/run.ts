/**
 * `deno task notebooks`: executes every notebook in notebooks/ headless with
 * Jupyter and the Deno kernel, and fails on any cell error. It first checks
 * that the committed notebooks have their outputs stripped.
 *
 * - `deno task notebooks [FILE.ipynb...]`: check stripped, then execute.
 * - `deno task notebooks:strip [FILE.ipynb...]`: strip outputs in place.
 *
 * Needs Debian's jupyter-nbconvert, python3-nbclient, jupyter-client and
 * python3-ipykernel (.ci/run installs them); installs the Deno kernel itself.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** A notebook as JSON. */
interface Notebook {
  cells: Array<{
    cell_type: string;
    outputs?: unknown[];
    execution_count?: number | null;
    metadata?: Record<string, unknown>;
  }>;
  [key: string]: unknown;
}

/** Per-run cell metadata that Jupyter adds on execution (timings), dropped by stripping. */
const RUN_CELL_METADATA = ["execution", "ExecuteTime"];

/**
 * Returns the notebook with everything an execution adds removed: outputs,
 * execution counts, per-cell run metadata (`execution` timings) and the
 * kernel's `language_info` details beyond its name. A stripped notebook is the
 * same bytes whoever ran it last, so diffs show only source changes.
 */
export function stripNotebook(nb: Notebook): Notebook {
  const metadata = (nb.metadata ?? {}) as Record<string, unknown>;
  const languageInfo = metadata.language_info as { name?: unknown } | undefined;
  return {
    ...nb,
    ...(nb.metadata === undefined ? {} : {
      metadata: {
        ...metadata,
        ...(languageInfo === undefined ? {} : { language_info: { name: languageInfo.name } }),
      },
    }),
    cells: nb.cells.map((cell) => {
      if (cell.cell_type !== "code") return cell;
      const out = { ...cell, outputs: [], execution_count: null };
      if (cell.metadata !== undefined) {
        out.metadata = Object.fromEntries(
          Object.entries(cell.metadata).filter(([key]) => !RUN_CELL_METADATA.includes(key)),
        );
      }
      return out;
    }),
  };
}

/** Serialises a notebook the way Jupyter does (one-space indent, trailing newline). */
export function formatNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Whether the notebook file's text is exactly its stripped form. */
export function isStripped(text: string): boolean {
  return formatNotebook(stripNotebook(JSON.parse(text))) === text;
}

/** The notebooks in notebooks/, sorted. */
export function listNotebooks(dir = HERE): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** Installs the Deno Jupyter kernel for the running deno binary. */
export async function installKernel(): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["jupyter", "--install", "--force"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno jupyter --install failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/**
 * Executes one notebook with `jupyter nbconvert --execute` into `outDir`;
 * returns whether every cell ran, and nbconvert's error output.
 */
export async function executeNotebook(
  path: string,
  outDir: string,
  options: { timeoutSeconds?: number } = {},
): Promise<{ ok: boolean; log: string }> {
  let out;
  try {
    out = await new Deno.Command("jupyter", {
      args: [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 600}`,
        "--ExecutePreprocessor.kernel_name=deno",
        "--output-dir",
        outDir,
        "--output",
        basename(path),
        path,
      ],
      cwd: dirname(path),
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        ok: false,
        log: "jupyter not found: install Debian's jupyter-nbconvert python3-nbclient " +
          "jupyter-client python3-ipykernel (.ci/run does)",
      };
    }
    throw error;
  }
  const log = new TextDecoder().decode(out.stderr);
  return { ok: out.success, log };
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { strip: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(
      "Usage: deno task notebooks [FILE.ipynb...]   execute notebooks headless, fail on any cell error\n" +
        "       deno task notebooks:strip [FILE...]   strip outputs in place",
    );
    return 0;
  }
  const files = positionals.length > 0 ? positionals.map((p) => resolve(p)) : listNotebooks();
  if (values.strip) {
    for (const file of files) {
      const text = await Deno.readTextFile(file);
      const stripped = formatNotebook(stripNotebook(JSON.parse(text)));
      if (stripped !== text) {
        await Deno.writeTextFile(file, stripped);
        console.log(`stripped ${file}`);
      }
    }
    return 0;
  }
  const unstripped = [];
  for (const file of files) {
    if (!isStripped(await Deno.readTextFile(file))) unstripped.push(file);
  }
  if (unstripped.length > 0) {
    console.error(
      `notebooks with outputs committed: ${unstripped.join(", ")}. Run: deno task notebooks:strip`,
    );
    return 1;
  }
  await installKernel();
  const outDir = await Deno.makeTempDir({ prefix: "meterbook-notebooks-" });
  let failed = 0;
  try {
    for (const file of files) {
      const started = performance.now();
      const { ok, log } = await executeNotebook(file, outDir);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (ok) {
        console.log(`ok     ${basename(file)} (${seconds} s)`);
      } else {
        failed++;
        console.error(`FAILED ${basename(file)} (${seconds} s)\n${log.trim().split("\n").slice(-25).join("\n")}`);
      }
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
  console.log(`notebooks: ${files.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
