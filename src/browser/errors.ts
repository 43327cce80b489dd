/**
 * The error raised when no browser can be found or started.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { CHROMIUM_HINT } from "./find.ts";

/**
 * No Chromium was found (or it would not start). Its message says how to get
 * one; the report catches it and writes the HTML without PDFs. As a
 * {@linkcode UserError} it prints one line in the CLI and exits 2 (partial).
 *
 * @example
 * ```ts
 * import { BrowserNotFoundError } from "./errors.ts";
 * try {
 *   throw new BrowserNotFoundError();
 * } catch (error) {
 *   if (error instanceof BrowserNotFoundError) console.log(error.message);
 * }
 * ```
 */
export class BrowserNotFoundError extends UserError {
  /** Creates the error; `detail` replaces the default first part of the message. */
  constructor(detail = "No Chromium found for PDFs and PNGs", options: { cause?: unknown } = {}) {
    super(`${detail}: ${CHROMIUM_HINT}`, { exitCode: 2, cause: options.cause });
    this.name = "BrowserNotFoundError";
  }
}
