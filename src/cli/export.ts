/**
 * `deno task export`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `export` command. */
export const command: Command = {
  name: "export",
  summary: "export (not built yet)",
  run() {
    return Promise.reject(new UserError("export: not built yet"));
  },
};
