/**
 * The error type for mistakes a user can make: a bad file, flag, config or
 * event row. The CLI prints its message on one line, without a stack trace,
 * and exits with {@linkcode UserError.exitCode} (1 by default).
 *
 * @module
 */

/**
 * A user's mistake, with a message that names the place and the fix.
 *
 * @example
 * ```ts
 * import { UserError } from "./errors.ts";
 * throw new UserError(`Cannot read plans file "data/plans.json": no such file`);
 * ```
 */
export class UserError extends Error {
  /** The process exit code the CLI uses for this error. */
  readonly exitCode: number;

  /** Creates a user error; `exitCode` defaults to 1. */
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "UserError";
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * The message of anything thrown, for a log line: an `Error`'s message, or
 * the thrown value as text.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./errors.ts";
 * errorMessage(new Error("disk full")); // "disk full"
 * errorMessage("plain"); // "plain"
 * ```
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
