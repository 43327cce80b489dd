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
