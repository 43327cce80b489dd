/**
 * `deno task compare`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `compare` command. */
export const command: Command = {
  name: "compare",
  summary: "compare (not built yet)",
  run() {
    return Promise.reject(new UserError("compare: not built yet"));
  },
};
