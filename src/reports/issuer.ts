/**
 * Who sends the invoices: a default issuer, or one read from a JSON file.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { Issuer } from "./types.ts";

/** The issuer printed when none is configured. */
export const DEFAULT_ISSUER: Issuer = {
  name: "Meterbook Compute Services",
  lines: [
    "1 Analytics Way, Suite 300",
    "Boulder, CO 80302, USA",
    "billing@meterbook.example",
  ],
  terms: "Net 30. Bank transfer or card; questions to billing@meterbook.example.",
  due_days: 30,
};

/**
 * Reads an issuer from a JSON file `{ name, lines: [...], terms?, due_days? }`.
 *
 * @example
 * ```ts ignore
 * import { loadIssuer } from "./issuer.ts";
 * const issuer = await loadIssuer("data/issuer.json");
 * ```
 */
export async function loadIssuer(path: string): Promise<Issuer> {
  let data: unknown;
  try {
    data = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new UserError(
      `Cannot read issuer file ${JSON.stringify(path)}: ${(error as Error).message}. ` +
        `Expected JSON like {"name": "...", "lines": ["address", "email"], "due_days": 30}`,
    );
  }
  const d = data as Partial<Issuer>;
  if (
    typeof d?.name !== "string" || !Array.isArray(d.lines) ||
    !d.lines.every((l) => typeof l === "string") ||
    (d.due_days !== undefined && (!Number.isInteger(d.due_days) || d.due_days < 0)) ||
    (d.terms !== undefined && typeof d.terms !== "string")
  ) {
    throw new UserError(
      `Issuer file ${JSON.stringify(path)}: expected {"name": string, "lines": string[], ` +
        `"terms"?: string, "due_days"?: non-negative integer}`,
    );
  }
  return { name: d.name, lines: d.lines, terms: d.terms, due_days: d.due_days };
}
