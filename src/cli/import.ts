/**
 * `deno task import`. PLACEHOLDER: replaced by the module that owns this command.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UserError } from "../errors.ts";

/** The `import` command. */
export const command: Command = {
  name: "import",
  summary: "import (not built yet)",
  run() {
    return Promise.reject(new UserError("import: not built yet"));
  },
};
