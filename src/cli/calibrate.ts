/**
 * `deno task calibrate`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `calibrate` command. */
export const command: Command = {
  name: "calibrate",
  summary: "calibrate (not built yet)",
  run() {
    return Promise.reject(new UserError("calibrate: not built yet"));
  },
};
