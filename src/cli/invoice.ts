/**
 * `deno task invoice [--month YYYY-MM] [--prefix INV]`: prices every
 * tenant's month on its plan, writes `<out>/YYYY-MM/invoices.json` and
 * `invoices.csv`, and prints the seed's table and the tier fit.
 *
 * @module
 */
import type { Command, CommandContext } from "./command.ts";
import { log } from "./log.ts";
import { UserError } from "../errors.ts";
import { checkTenantPlans, loadPlans, loadTenants } from "../pricing/mod.ts";
import {
  formatInvoiceTable,
  formatTierFitTable,
  invoiceMonth,
  type InvoiceRun,
  type UsageSource,
  writeInvoiceFiles,
} from "../invoices/mod.ts";

/** What the command needs of the warehouse. */
export interface InvoiceWarehouse extends UsageSource {
  months(): Promise<string[]>;
  close(): Promise<void>;
}

/** Options of {@linkcode runInvoice}. */
export interface RunInvoiceOptions {
  plans: string;
  tenants: string;
  out: string;
  store: string;
  month?: string;
  prefix?: string;
}

/**
 * The command's work, on an open warehouse: picks the month (default: the
 * latest in the store), builds and writes the invoices, returns the run and
 * the files written.
 *
 * @example
 * ```ts
 * import { runInvoice } from "./invoice.ts";
 * // const { run, files } = await runInvoice(wh, { plans: "data/plans.json",
 * //   tenants: "data/tenants.json", out: "reports", store: "data/events" });
 * ```
 */
export async function runInvoice(
  wh: InvoiceWarehouse,
  options: RunInvoiceOptions,
): Promise<{ run: InvoiceRun; files: { json: string; csv: string } }> {
  const plans = await loadPlans(options.plans);
  const tenants = await loadTenants(options.tenants);
  checkTenantPlans(tenants, plans, options.tenants);
  let month = options.month;
  if (month === undefined) {
    const months = await wh.months();
    month = months.at(-1);
    if (month === undefined) {
      throw new UserError(
        `no events in store ${
          JSON.stringify(options.store)
        }: run \`deno task generate\` or \`deno task import FILE\` first, or give --month YYYY-MM for fixed-fee invoices`,
      );
    }
  }
  const run = await invoiceMonth(wh, { month, plans, tenants, prefix: options.prefix });
  const files = await writeInvoiceFiles(run, `${options.out}/${month}`);
  return { run, files };
}

/** The `invoice` command. */
export const command: Command = {
  name: "invoice",
  summary: "price every tenant's month on its plan; write invoices.json and invoices.csv",
  usage: "[--month YYYY-MM] [--prefix INV]",
  description: `
Prices each tenant of the tenants file on its plan for one month (default:
the latest month in the store), and writes <out>/YYYY-MM/invoices.json and
invoices.csv. Prints the invoice table (Tenant, Compute units, Base, Usage,
Total) and the tier fit: what Starter, Professional and Enterprise would have
cost each tenant. Usage of tenants missing from the tenants file is shown as
unbilled, never dropped; a month without events gets fixed-fee invoices and
a warning. Invoice numbers are {prefix}-{YYYYMM}-{tenant_id}.`,
  options: {
    prefix: {
      type: "string",
      valueName: "PREFIX",
      description: "invoice number prefix (default: INV)",
    },
  },
  async run(ctx: CommandContext) {
    const { openCompactedWarehouse } = await import("../metering/compact.ts");
    const { common } = ctx;
    const prefix = (ctx.values.prefix as string | undefined) ?? "INV";
    // Acknowledged API events still in the metering WAL are billable: stored first.
    const wh = await openCompactedWarehouse({ store: common.store, engine: common.engine, log });
    try {
      const { run, files } = await runInvoice(wh, { ...common, prefix });
      console.log(`Invoices for ${run.month}: ${run.invoices.length} tenants`);
      console.log("");
      console.log(formatInvoiceTable(run));
      console.log("");
      console.log(`Tier fit for ${run.month}: what each tier would have cost`);
      console.log("");
      console.log(formatTierFitTable(run));
      if (run.unauthenticated.events > 0) {
        console.log("");
        console.log(`Unauthenticated requests (not billed): ${run.unauthenticated.events}`);
      }
      for (const warning of run.warnings) log(`warning: ${warning}`);
      log(`wrote ${files.json} and ${files.csv}`);
    } finally {
      await wh.close();
    }
  },
};
