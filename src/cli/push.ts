/**
 * `deno task push --month YYYY-MM [--live] [--reconcile]`: a month's metered
 * usage to Stripe Billing meter events (a dry run unless `--live`), or the
 * reconciliation of the month against the push ledger.
 *
 * @module
 */
import type { Command, CommandContext } from "./command.ts";
import { log } from "./log.ts";
import { UserError } from "../errors.ts";
import { tenantTimeZones } from "../invoices/source.ts";
import { checkTenantPlans, loadPlans, loadTenants } from "../pricing/load.ts";
import type { PricingUsageRow, Tenants } from "../pricing/types.ts";
import { type StripeClientOptions, stripeMeterEventApi } from "../stripe/client.ts";
import { checkStripeKey, redactStripeKeys, stripeKeyMode } from "../stripe/keys.ts";
import { PushLedger, pushLedgerPath } from "../stripe/ledger.ts";
import { pushUsage } from "../stripe/push.ts";
import { reconcilePush } from "../stripe/reconcile.ts";
import { stripeMeterQuantities } from "../stripe/source.ts";
import { pushTable, reconcileTable } from "../stripe/table.ts";

/** The `push` command. */
export const command: Command = {
  name: "push",
  summary: "push a month's metered usage to Stripe Billing meter events (dry run unless --live)",
  usage: "--month YYYY-MM [--live] [--reconcile]",
  description: `
Sends, for each tenant with a stripe_customer_id and each metered charge of its plan that
names a Stripe meter (event_name), one meter event with the month's quantity, computed from the
store exactly as the invoices are. Compute units are sent x1000 (milli-units, rounded half away
from zero); event counts as they are. Identifiers are mb-YYYY-MM-TENANT-METER-rN.

Without --live nothing is sent: the requests are printed. --live needs STRIPE_SECRET_KEY (a
sk_test_ key for test mode); a sk_live_ key in the environment is refused unless --live is given.
Accepted events are recorded in <store>/ledger/stripe-YYYY-MM.ndjson; a rerun sends only what is
missing or changed (a changed quantity is cancelled and resent within Stripe's 24 h window,
reported for manual handling after it). Exit code 1 when any tenant failed or needs handling.

--reconcile compares the month's quantities with what the ledger says Stripe accepted and lists
every difference (exit code 1 when any).`,
  options: {
    live: { type: "boolean", description: "send to Stripe (default: dry run)" },
    "allow-open-month": {
      type: "boolean",
      description: "with --live, push a month that has not ended yet (month-to-date quantities)",
    },
    reconcile: {
      type: "boolean",
      description: "compare the month's quantities with the push ledger; send nothing",
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
  const timeoutMs = parseTimeout(values["timeout-ms"] as string | undefined);

  if (values.reconcile === true) {
    if (live) throw new UserError("--reconcile sends nothing: drop --live");
    const { quantities } = await loadQuantities(ctx);
    const ledger = await PushLedger.open(common.store, month, { readOnly: true });
    const result = reconcilePush({ month, quantities, ledger });
    console.log(
      `Reconciliation of ${month}: invoices (from ${common.store}) vs ${
        pushLedgerPath(common.store, month)
      }`,
    );
    console.log(reconcileTable(result));
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

  const { quantities, notes } = await loadQuantities(ctx);
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
  });

  if (result.dryRun) {
    say(
      `Dry run for ${month}: nothing was sent. With --live (and STRIPE_SECRET_KEY) these ` +
        `${result.requests.length} request(s) would go to Stripe:`,
    );
  } else {
    say(
      `Pushed ${month} to Stripe (${stripeKeyMode(key!)} mode${
        apiBase ? `, ${apiBase.origin}` : ""
      }): ` +
        `${result.requests.length} request(s) sent; ledger ${pushLedgerPath(common.store, month)}`,
    );
  }
  for (const request of result.requests) {
    say(`${request.method} ${request.path} ${JSON.stringify(request.body)}`);
  }
  say("");
  say(pushTable(result));
  if (!result.ok) {
    const bad = result.rows.filter((r) => ["failed", "skipped", "manual"].includes(r.status));
    say(
      `\n${bad.length} of ${result.rows.length} row(s) not pushed or needing manual handling; ` +
        `fix the cause and rerun: it resumes where it stopped.`,
    );
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

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 30_000;
  const ms = Number(value);
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new UserError(
      `--timeout-ms ${JSON.stringify(value)}: expected a whole number of ms >= 1`,
    );
  }
  return ms;
}

/** The month's quantities, from the store's usage through the plans (as the invoices are priced). */
async function loadQuantities(ctx: CommandContext) {
  const { common } = ctx;
  const month = common.month!;
  const [plans, tenants] = await Promise.all([
    loadPlans(common.plans),
    loadTenants(common.tenants),
  ]);
  // A tenant on an unknown plan (or a plan in another currency) is a user error, as for invoices:
  // never skipped silently with exit 0.
  checkTenantPlans(tenants, plans, common.tenants);
  const usage = await readUsage(common.store, common.engine, month, tenants);
  const source = stripeMeterQuantities({ usage, plans, tenants });
  if (usage.length === 0) {
    source.notes.push(`the store ${common.store} has no usage for ${month}: every quantity is 0`);
  }
  return source;
}

async function readUsage(
  store: string,
  engine: "native" | "wasm",
  month: string,
  tenants: Tenants,
): Promise<PricingUsageRow[]> {
  const timeZones = tenantTimeZones(tenants);
  // Acknowledged API events still in the metering WAL are billable: stored first, so that the
  // push sends what the invoices bill.
  const { openCompactedWarehouse } = await import("../metering/compact.ts");
  const wh = await openCompactedWarehouse({ store, engine });
  try {
    return await wh.usage(month, { timeZones });
  } finally {
    await wh.close();
  }
}
