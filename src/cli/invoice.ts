/**
 * `deno task invoice`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `invoice` command. */
export const command: Command = {
  name: "invoice",
  summary: "invoice (not built yet)",
  run() {
    return Promise.reject(new UserError("invoice: not built yet"));
  },
};
