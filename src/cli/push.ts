/**
 * `deno task push --month YYYY-MM [--live] [--reconcile]`: a month's metered
 * usage, as its approved invoices bill it (`<out>/YYYY-MM/invoices.json`),
 * to Stripe Billing meter events (a dry run unless `--live`), or the
 * reconciliation of those invoices against the push ledger.
 *
 * @module
 */
import { type Command, type CommandContext, intOption } from "./command.ts";
import { log } from "./log.ts";
import { UserError } from "../errors.ts";
import { invoiceMonth } from "../invoices/source.ts";
import { loadPlans, loadTenants } from "../pricing/load.ts";
import type { Tenants } from "../pricing/types.ts";
import { type StripeClientOptions, stripeMeterEventApi } from "../stripe/client.ts";
import { defaultInvoicesPath, readApprovedInvoices } from "../stripe/invoice_file.ts";
import { checkStripeKey, redactStripeKeys, stripeKeyMode } from "../stripe/keys.ts";
import { PushLedger, pushLedgerPath } from "../stripe/ledger.ts";
import {
  type MeterQuantity,
  PUSH_NOT_OK_STATUSES,
  pushUsage,
  STRIPE_DEFAULT_GRACE_HOURS,
} from "../stripe/push.ts";
import { reconcilePush } from "../stripe/reconcile.ts";
import { stripeMeterQuantities } from "../stripe/source.ts";
import { pushSummary, pushTable, reconcileTable } from "../stripe/table.ts";

/** The `push` command. */
export const command: Command = {
  name: "push",
  summary: "push a month's metered usage to Stripe Billing meter events (dry run unless --live)",
  usage: "--month YYYY-MM [--live] [--reconcile] [--invoices FILE] [--cancel-missing]",
  description: `
Sends, for each invoiced tenant with a stripe_customer_id and each invoice line that names a
Stripe meter (stripe_meter: the charge's event_name and full metered quantity), one meter event.
The quantities come from the month's approved invoices, <out>/YYYY-MM/invoices.json (written by
deno task invoice or deno task report; --invoices FILE for another), never from the event store:
a late event changes nothing pushed until the invoices are written again; a file where no line
names a Stripe meter (written before stripe_meter existed) is refused. Compute units are sent
x1000 (milli-units, rounded half away from zero); event counts as they are. Identifiers are
mb-YYYY-MM-TENANT-METER-rN.

Without --live nothing is sent and nothing is written: the requests are printed. --live needs
STRIPE_SECRET_KEY (a sk_test_ key for test mode); a sk_live_ key in the environment is refused
unless --live is given. Accepted events are recorded in <store>/ledger/stripe-YYYY-MM.ndjson; a
rerun sends only what is missing or changed (a changed quantity, customer id or meter is cancelled
and resent within Stripe's 24 h window, reported for manual handling after it). An accepted event
whose tenant-meter is missing from the invoices, or whose quantity is now 0, is cancelled only with
--cancel-missing; without it the row is "missing" or "held" and nothing is sent for it. A push more
than --grace-hours after a tenant's period end warns that Stripe may have finalized that invoice.
Exit code 1 when any tenant failed or needs handling (also for a held or missing row).

--reconcile compares the approved invoices with what the ledger says Stripe accepted (value and
customer) and lists every difference (exit code 1 when any); it also notes, without failing,
where the store's usage now differs from the approved invoices (late events).`,
  options: {
    live: { type: "boolean", description: "send to Stripe (default: dry run)" },
    "allow-open-month": {
      type: "boolean",
      description: "with --live, push a month that has not ended yet (month-to-date quantities)",
    },
    "cancel-missing": {
      type: "boolean",
      description:
        "cancel accepted events missing from the invoices or now 0 (default: report them, exit 1)",
    },
    reconcile: {
      type: "boolean",
      description: "compare the approved invoices with the push ledger; send nothing",
    },
    invoices: {
      type: "string",
      valueName: "FILE",
      description: "the approved invoices (default: <out>/YYYY-MM/invoices.json)",
    },
    "grace-hours": {
      type: "string",
      valueName: "N",
      description:
        `Stripe's invoice finalization grace period in whole hours, 0-72 (default ${STRIPE_DEFAULT_GRACE_HOURS})`,
    },
    "stripe-api": {
      type: "string",
      valueName: "URL",
      description: "Stripe API base URL (default https://api.stripe.com; for stripe-mock or tests)",
    },
    "timeout-ms": {
      type: "string",
      valueName: "MS",
      description: "timeout of each Stripe request (default 30000)",
    },
  },
  run,
};

async function run(ctx: CommandContext): Promise<number> {
  const { common, values } = ctx;
  const month = common.month;
  if (!month) throw new UserError("--month YYYY-MM is required, e.g. --month 2026-10");
  const live = values.live === true;
  const apiBase = parseApiBase(values["stripe-api"] as string | undefined);
  const timeoutMs = intOption("--timeout-ms", values["timeout-ms"], 1) ?? 30_000;
  const graceHours = intOption(
    "--grace-hours",
    values["grace-hours"],
    0,
    72,
    "(hours of Stripe's invoice finalization grace period: 1 by default, at most 72)",
  ) ?? STRIPE_DEFAULT_GRACE_HOURS;
  const invoicesPath = (values.invoices as string | undefined) ??
    defaultInvoicesPath(common.out, month);

  if (values.reconcile === true) {
    if (live) throw new UserError("--reconcile sends nothing: drop --live");
    if (values["cancel-missing"] === true) {
      throw new UserError("--reconcile cancels nothing: drop --cancel-missing");
    }
    const { quantities, notes, tenants } = await loadQuantities(ctx, invoicesPath);
    const ledger = await PushLedger.open(common.store, month, { readOnly: true });
    const store = await storeQuantities(ctx, tenants);
    const result = reconcilePush({ month, quantities, ledger, current: store.quantities });
    console.log(
      `Reconciliation of ${month}: ${invoicesPath} vs ${pushLedgerPath(common.store, month)}`,
    );
    console.log(reconcileTable(result));
    for (const note of [...notes, ...store.notes, ...result.notes]) console.log(`note: ${note}`);
    console.log(
      result.ok
        ? "\nNo differences."
        : `\n${result.differences} difference${result.differences === 1 ? "" : "s"}.`,
    );
    return result.ok ? 0 : 1;
  }

  // Checked before reading anything else: a live key is never loaded silently.
  const key = checkStripeKey(Deno.env.get("STRIPE_SECRET_KEY"), { live, apiBase });
  const say = (line: string) => console.log(redactStripeKeys(line, key));
  const warn = (line: string) => log(redactStripeKeys(line, key));

  const { quantities, notes } = await loadQuantities(ctx, invoicesPath);
  for (const note of notes) warn(`note: ${note}`);
  const ledger = await PushLedger.open(common.store, month, { readOnly: !live });
  if (ledger.skipped > 0) {
    warn(
      `warning: ${ledger.skipped} unreadable line(s) in ${
        pushLedgerPath(common.store, month)
      } ignored`,
    );
  }
  const client: StripeClientOptions = { timeoutMs };
  if (apiBase) {
    client.host = apiBase.hostname;
    client.protocol = apiBase.protocol === "http:" ? "http" : "https";
    client.port = apiBase.port ? Number(apiBase.port) : client.protocol === "http" ? 80 : 443;
  }
  const result = await pushUsage({
    month,
    quantities,
    ledger,
    now: ctx.now,
    clock: () => new Date(),
    api: live ? stripeMeterEventApi(key!, client) : undefined,
    retry: {
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
    },
    log: warn,
    allowOpenMonth: values["allow-open-month"] === true,
    graceHours,
    cancelMissing: values["cancel-missing"] === true,
  });

  say(pushSummary(result, {
    invoices: invoicesPath,
    ledger: pushLedgerPath(common.store, month),
    ...(live ? { mode: stripeKeyMode(key!) } : {}),
    ...(apiBase ? { origin: apiBase.origin } : {}),
  }));
  for (const request of result.requests) {
    say(`${request.method} ${request.path} ${JSON.stringify(request.body)}`);
  }
  say("");
  say(pushTable(result));
  for (const warning of result.warnings) warn(`warning: ${warning}`);
  if (!result.ok) {
    const bad = result.rows.filter((r) => PUSH_NOT_OK_STATUSES.includes(r.status));
    const held = bad.filter((r) => r.status === "held" || r.status === "missing").length;
    say(
      `\n${bad.length} of ${result.rows.length} row(s) not pushed or needing manual handling; ` +
        `fix the cause and rerun: it resumes where it stopped.`,
    );
    if (held > 0) {
      say(
        `${held} of them held (missing from ${invoicesPath} or now 0): Stripe still bills ` +
          `them. If the invoices are right, rerun with --cancel-missing to cancel them; if not, ` +
          `write the invoices again with \`deno task invoice --month ${month}\` and rerun.`,
      );
    }
  }
  return result.ok ? 0 : 1;
}

function parseApiBase(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(
      `--stripe-api ${JSON.stringify(value)}: expected a URL like http://127.0.0.1:12111`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UserError(
      `--stripe-api ${JSON.stringify(value)}: expected an http:// or https:// URL`,
    );
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    throw new UserError(`--stripe-api ${JSON.stringify(value)}: give the origin only (no path)`);
  }
  return url;
}

/** The approved quantities: the month's invoices file, with customer ids from the tenants file. */
async function loadQuantities(ctx: CommandContext, invoicesPath: string) {
  const { common } = ctx;
  const month = common.month!;
  const [approved, tenants] = await Promise.all([
    readApprovedInvoices(invoicesPath, { month }),
    loadTenants(common.tenants),
  ]);
  const source = stripeMeterQuantities({
    invoices: approved,
    tenants,
    files: { invoices: invoicesPath, tenants: common.tenants },
    month,
  });
  return { ...source, tenants };
}

/**
 * The same quantities priced from the store now (for reconcile's late-event notes). Reading
 * the store compacts its metering WAL, as every command that reads usage does. A store or plans
 * file that cannot be read gives a note, not a failure: the reconciliation itself needs neither.
 */
async function storeQuantities(
  ctx: CommandContext,
  tenants: Tenants,
): Promise<{ quantities?: MeterQuantity[]; notes: string[] }> {
  const { common } = ctx;
  const month = common.month!;
  try {
    const plans = await loadPlans(common.plans);
    const { openCompactedWarehouse } = await import("../metering/compact.ts");
    const wh = await openCompactedWarehouse({ store: common.store, engine: common.engine, log });
    let run;
    try {
      run = await invoiceMonth(wh, { month, plans, tenants });
    } finally {
      await wh.close();
    }
    if (run.summary.every((row) => row.events === 0)) {
      return {
        notes: [`the store ${common.store} has no usage for ${month}: late events not checked`],
      };
    }
    return { quantities: stripeMeterQuantities({ invoices: run, tenants }).quantities, notes: [] };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { notes: [`late events not checked against the store: ${error.message}`] };
  }
}
