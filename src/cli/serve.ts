/**
 * `deno task serve`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `serve` command. */
export const command: Command = {
  name: "serve",
  summary: "serve (not built yet)",
  run() {
    return Promise.reject(new UserError("serve: not built yet"));
  },
};
