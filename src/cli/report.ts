/**
 * `deno task report`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `report` command. */
export const command: Command = {
  name: "report",
  summary: "report (not built yet)",
  run() {
    return Promise.reject(new UserError("report: not built yet"));
  },
};
