/**
 * Output paths that can never leave the output folder.
 *
 * @module
 */
import { isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { TENANT_ID_PATTERN } from "../events/event.ts";

/**
 * Joins `parts` under `root` and checks that the result stays inside `root`
 * (no absolute parts, no `..` segment, no NUL). Throws otherwise.
 *
 * @example
 * ```ts
 * import { safeJoin } from "./paths.ts";
 * safeJoin("/tmp/out", "invoices", "dept_a.pdf"); // "/tmp/out/invoices/dept_a.pdf"
 * // safeJoin("/tmp/out", "invoices", "../../etc/passwd") throws
 * ```
 */
export function safeJoin(root: string, ...parts: string[]): string {
  for (const part of parts) {
    if (
      part === "" || part.includes("\0") || isAbsolute(part) ||
      part.split(/[\\/]/).includes("..")
    ) {
      throw new Error(`Refusing to write ${JSON.stringify(part)}: not a relative path segment`);
    }
  }
  const base = resolve(root);
  const target = resolve(base, normalize(join(...parts)));
  const rel = relative(base, target);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("..")) {
    throw new Error(
      `Refusing to write ${JSON.stringify(join(...parts))}: it resolves outside ${
        JSON.stringify(base)
      }`,
    );
  }
  return target;
}

/**
 * The file name stem for a tenant's files (`invoices/<stem>.pdf`): the tenant
 * id itself, which must match the event schema's tenant-id rule (letters,
 * digits, `_ . -`, not starting with `.`), so `/` and `..` never reach a path.
 *
 * @example
 * ```ts
 * import { tenantFileStem } from "./paths.ts";
 * tenantFileStem("dept_a"); // "dept_a"
 * ```
 */
export function tenantFileStem(tenantId: string): string {
  if (!TENANT_ID_PATTERN.test(tenantId) || tenantId.includes("..")) {
    throw new Error(
      `Refusing to write files for tenant id ${
        JSON.stringify(tenantId)
      }: tenant ids are 1-64 letters, digits, "_", "." or "-" and cannot contain "/" or ".."`,
    );
  }
  return tenantId;
}
