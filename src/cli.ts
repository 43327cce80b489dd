/**
 * The meterbook command line: `deno run -A src/cli.ts COMMAND [options]`, or
 * `deno task COMMAND` for each command. Every command has `--help`.
 *
 * User errors print one line and exit 1 (or the error's own code); anything
 * else is a bug and prints its stack.
 *
 * @module
 */
import { UserError } from "./errors.ts";
import { type Command, helpText, parseCommandArgs } from "./cli/command.ts";

/** Every command, loaded on demand so that one command does not load another's dependencies. */
export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  generate: () => import("./cli/generate.ts"),
  import: () => import("./cli/import.ts"),
  export: () => import("./cli/export.ts"),
  compact: () => import("./cli/compact.ts"),
  invoice: () => import("./cli/invoice.ts"),
  compare: () => import("./cli/compare.ts"),
  report: () => import("./cli/report.ts"),
  simulate: () => import("./cli/simulate.ts"),
  calibrate: () => import("./cli/calibrate.ts"),
  serve: () => import("./cli/serve.ts"),
  push: () => import("./cli/push.ts"),
};

function usage(): string {
  return [
    "meterbook: usage events to invoices, pricing comparisons, charts and reports.",
    "",
    "Usage: deno task COMMAND [options]   (or: deno run -A src/cli.ts COMMAND [options])",
    "",
    `Commands: ${Object.keys(COMMANDS).join(", ")}`,
    "Run `deno task COMMAND --help` for a command's options.",
  ].join("\n");
}

/**
 * Runs one CLI invocation and returns its exit code.
 *
 * @example
 * ```ts
 * import { main } from "./cli.ts";
 * const code = await main(["generate", "--help"]);
 * ```
 */
export async function main(args: string[], now: Date = new Date()): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(
      `meterbook: unknown command ${JSON.stringify(name)}. Commands: ${
        Object.keys(COMMANDS).join(", ")
      }`,
    );
    return 1;
  }
  const { command } = await load();
  try {
    const ctx = parseCommandArgs(command, rest, now);
    if (ctx === null) {
      console.log(helpText(command));
      return 0;
    }
    return (await command.run(ctx)) ?? 0;
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`meterbook ${name}: ${error.message}`);
      return error.exitCode;
    }
    if (isUnreadableStoreFile(error)) {
      console.error(
        `meterbook ${name}: ${error.message.split("\n")[0]}: a file of the event store cannot ` +
          `be read; restore it from a backup, or remove it and import that month's events again`,
      );
      return 1;
    }
    if (isFileSystemError(error)) {
      // e.g. `Not a directory (os error 20): mkdir 'out/2026-10'`: the OS message names the path
      console.error(`meterbook ${name}: ${error.message.split("\n")[0]}`);
      return 1;
    }
    throw error;
  }
}

/** Errors of a path the user gave (missing, unwritable, not a folder): one line, no stack. */
function isFileSystemError(error: unknown): error is Error {
  const e = Deno.errors;
  return [e.NotFound, e.PermissionDenied, e.NotADirectory, e.IsADirectory, e.AlreadyExists]
    .some((type) => error instanceof type);
}

/** DuckDB's error for a damaged or foreign Parquet file (not a bug of ours): one line, no stack. */
function isUnreadableStoreFile(error: unknown): error is Error {
  return error instanceof Error &&
    /^(Invalid Input|IO) Error: .*\.parquet/.test(error.message.split("\n")[0]);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
