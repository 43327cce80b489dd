/**
 * Writing `invoices.json` and `invoices.csv` for a run.
 *
 * @module
 */
import { invoicesCsv } from "./csv.ts";
import type { InvoiceRun } from "./types.ts";

/**
 * The exact text of `invoices.json` (2-space JSON, trailing newline; keys in
 * a fixed order so the same run gives the same bytes). The markers
 * `"provisional": true` (written before the month ended) and `"demo": true`
 * (generated data) follow the month when set; `deno task push` refuses both.
 *
 * @example
 * ```ts
 * import { invoicesJson } from "./write.ts";
 * import { buildInvoices } from "./build.ts";
 * import { loadPlans, loadTenants } from "../pricing/mod.ts";
 * const run = buildInvoices({ month: "2026-12", usage: [], provisional: true,
 *   plans: await loadPlans("data/plans.json"), tenants: await loadTenants("data/tenants.json") });
 * invoicesJson(run).startsWith('{\n  "month": "2026-12",\n  "provisional": true,'); // true
 * ```
 */
export function invoicesJson(run: InvoiceRun): string {
  const ordered: InvoiceRun = {
    month: run.month,
    ...(run.provisional ? { provisional: true as const } : {}),
    ...(run.demo ? { demo: true as const } : {}),
    invoices: run.invoices,
    tier_fit: run.tier_fit,
    summary: run.summary,
    unbilled: run.unbilled,
    unauthenticated: run.unauthenticated,
    warnings: run.warnings,
  };
  return JSON.stringify(ordered, null, 2) + "\n";
}

/**
 * Writes `<dir>/invoices.json` and `<dir>/invoices.csv` (creating `dir`),
 * and returns their paths.
 *
 * @example
 * ```ts
 * import { writeInvoiceFiles } from "./write.ts";
 * // await writeInvoiceFiles(run, "reports/2026-10");
 * ```
 */
export async function writeInvoiceFiles(
  run: InvoiceRun,
  dir: string,
): Promise<{ json: string; csv: string }> {
  await Deno.mkdir(dir, { recursive: true });
  const json = `${dir}/invoices.json`;
  const csv = `${dir}/invoices.csv`;
  await Deno.writeTextFile(json, invoicesJson(run));
  await Deno.writeTextFile(csv, invoicesCsv(run.invoices));
  return { json, csv };
}
