/**
 * `deno task compact`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `compact` command. */
export const command: Command = {
  name: "compact",
  summary: "compact (not built yet)",
  run() {
    return Promise.reject(new UserError("compact: not built yet"));
  },
};
