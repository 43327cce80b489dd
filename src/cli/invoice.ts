/**
 * `deno task invoice [--month YYYY-MM] [--prefix INV] [--allow-open-month]`:
 * prices every tenant's month on its plan, writes
 * `<out>/YYYY-MM/invoices.json` and `invoices.csv`, and prints the seed's
 * table and the tier fit. A month that has not ended (in UTC or a tenant's
 * zone) is refused unless `--allow-open-month`, which marks the file
 * `"provisional": true`, the same rule as `deno task report`.
 *
 * @module
 */
import type { Command, CommandContext } from "./command.ts";
import { log } from "./log.ts";
import { UserError } from "../errors.ts";
import { checkTenantPlans, loadPlans, loadTenants } from "../pricing/mod.ts";
import {
  checkMonthEnded,
  describeMonthEnd,
  formatInvoiceTable,
  formatTierFitTable,
  invoiceMonth,
  type InvoiceRun,
  latestEndedMonth,
  monthEnd,
  monthFlag,
  tenantTimeZones,
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
  /** "Now" (the CLI's clock): for the default month and to refuse a month that has not ended. */
  now: Date;
  /** Invoice a month that has not ended, marked provisional (default false: refused). */
  allowOpenMonth?: boolean;
  /** How the month was asked for, named in messages (default `--month YYYY-MM`). */
  monthFlag?: string;
}

/**
 * The command's work, on an open warehouse: picks the month (default: the
 * latest in the store that has ended in UTC and in every tenant's time
 * zone), refuses a month that has not ended unless `allowOpenMonth` (then
 * the run is marked provisional), builds and writes the invoices, and returns
 * the run, the files written and the provisional note (or null).
 *
 * @example
 * ```ts
 * import { runInvoice } from "./invoice.ts";
 * // const { run, files } = await runInvoice(wh, { plans: "data/plans.json",
 * //   tenants: "data/tenants.json", out: "reports", store: "data/events", now: new Date() });
 * ```
 */
export async function runInvoice(
  wh: InvoiceWarehouse,
  options: RunInvoiceOptions,
): Promise<
  { run: InvoiceRun; files: { json: string; csv: string }; provisional: string | null }
> {
  const plans = await loadPlans(options.plans);
  const tenants = await loadTenants(options.tenants);
  checkTenantPlans(tenants, plans, options.tenants);
  const zones = tenantTimeZones(tenants);
  let month = options.month;
  if (month === undefined) {
    const months = await wh.months();
    const store = JSON.stringify(options.store);
    if (months.length === 0) {
      throw new UserError(
        `no events in store ${store}: run \`deno task generate\` or \`deno task import FILE\` ` +
          "first, or give --month YYYY-MM for fixed-fee invoices",
      );
    }
    const ended = latestEndedMonth(months, options.now, zones);
    if (ended === null) {
      const last = months[months.length - 1];
      throw new UserError(
        `no month with events in store ${store} has ended yet (${last} ends ${
          describeMonthEnd(monthEnd(last, zones))
        }): rerun after that, or pass --month ${last} --allow-open-month for provisional invoices`,
      );
    }
    month = ended;
  }
  const provisional = checkMonthEnded(month, {
    now: options.now,
    timeZones: zones,
    allowOpenMonth: options.allowOpenMonth,
    flag: options.monthFlag,
  });
  const run = await invoiceMonth(wh, {
    month,
    plans,
    tenants,
    prefix: options.prefix,
    provisional: provisional !== null,
  });
  const files = await writeInvoiceFiles(run, `${options.out}/${month}`);
  return { run, files, provisional };
}

/** The `invoice` command. */
export const command: Command = {
  name: "invoice",
  summary: "price every tenant's month on its plan; write invoices.json and invoices.csv",
  usage: "[--month YYYY-MM|previous] [--prefix INV] [--allow-open-month]",
  description: `
Prices each tenant of the tenants file on its plan for one month (default:
the latest month in the store that has ended in UTC and in every tenant's
time zone), and writes <out>/YYYY-MM/invoices.json and invoices.csv. A month
that has not ended yet is refused (exit code 1) unless --allow-open-month is
given; invoices.json is then marked "provisional": true, and deno task push
refuses it until the month is invoiced again after it ended. Prints the invoice table (Tenant, Compute units, Base, Usage,
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
    "allow-open-month": {
      type: "boolean",
      description: "invoice a month that has not ended yet, marked provisional",
    },
  },
  async run(ctx: CommandContext) {
    const { openCompactedWarehouse } = await import("../metering/compact.ts");
    const { common } = ctx;
    const prefix = (ctx.values.prefix as string | undefined) ?? "INV";
    // Acknowledged API events still in the metering WAL are billable: stored first.
    const wh = await openCompactedWarehouse({ store: common.store, engine: common.engine, log });
    try {
      const { run, files, provisional } = await runInvoice(wh, {
        ...common,
        prefix,
        now: ctx.now,
        allowOpenMonth: ctx.values["allow-open-month"] === true,
        monthFlag: monthFlag(common.month, ctx.now),
      });
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
      if (provisional) log(provisional);
      log(`wrote ${files.json} and ${files.csv}${provisional ? " (provisional)" : ""}`);
    } finally {
      await wh.close();
    }
  },
};
