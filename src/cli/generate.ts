/**
 * `deno task generate`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `generate` command. */
export const command: Command = {
  name: "generate",
  summary: "generate (not built yet)",
  run() {
    return Promise.reject(new UserError("generate: not built yet"));
  },
};
