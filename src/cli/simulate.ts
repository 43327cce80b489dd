/**
 * `deno task simulate`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `simulate` command. */
export const command: Command = {
  name: "simulate",
  summary: "simulate (not built yet)",
  run() {
    return Promise.reject(new UserError("simulate: not built yet"));
  },
};
