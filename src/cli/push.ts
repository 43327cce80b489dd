/**
 * `deno task push`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `push` command. */
export const command: Command = {
  name: "push",
  summary: "push (not built yet)",
  run() {
    return Promise.reject(new UserError("push: not built yet"));
  },
};
