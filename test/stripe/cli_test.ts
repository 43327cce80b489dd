/**
 * `deno task push` end to end: subprocesses running src/cli.ts against a
 * temp store, the invoices `deno task invoice` writes, and the local fake
 * Stripe (no internet), checking that quantities come from the approved
 * invoices, the dry run (nothing written), the live push, the rerun,
 * corrections, reconciliation (late events as notes), the live-key refusal,
 * and that the key never appears in output or in the ledger.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { UsageEvent } from "../../src/events/mod.ts";
import { buildInvoices, writeInvoiceFiles } from "../../src/invoices/mod.ts";
import { loadPlans, loadTenants } from "../../src/pricing/load.ts";
import type { PricingUsageRow } from "../../src/pricing/types.ts";
import { startFakeStripe } from "./fake_stripe.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const KEY = "sk_test_CLIsecret0123456789abcdef";
const LIVE_KEY = "sk_live_CLIsecret0123456789abcdef";

/**
 * The calendar month before the day before now (UTC): ended in every tenant time zone (so it
 * is not an open month, even just after UTC midnight on the 1st) and within Stripe's 35 days.
 */
function previousMonth(now = new Date()): string {
  const dayBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  const d = new Date(Date.UTC(dayBefore.getUTCFullYear(), dayBefore.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

async function deno(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli.ts", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

const cli = (args: string[], env: Record<string, string>) => deno(["push", ...args], env);

/** stderr without deno's own npm set-up warnings: what meterbook printed. */
const printed = (stderr: string) =>
  stderr.split("\n").filter((line) => line !== "" && !line.startsWith("Warning ")).join("\n");

/** Every file under `dir` with its bytes and modification time: equal snapshots, nothing written. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (at: string) => {
    for await (const entry of Deno.readDir(at)) {
      const path = join(at, entry.name);
      const info = await Deno.stat(path);
      if (entry.isDirectory) {
        files.set(`${path}/`, String(info.mtime?.getTime()));
        await walk(path);
      } else {
        files.set(path, `${info.mtime?.getTime()} ${await Deno.readTextFile(path)}`);
      }
    }
  };
  await walk(dir);
  return files;
}

/** Writes `<out>/<month>/invoices.json` as `deno task invoice` would, from usage rows. */
async function writeInvoices(
  out: string,
  month: string,
  usage: PricingUsageRow[],
  tenantsFile = join(ROOT, "data/tenants.json"),
) {
  const run = buildInvoices({
    month,
    usage,
    plans: await loadPlans(join(ROOT, "data/plans.json")),
    tenants: await loadTenants(tenantsFile),
  });
  await writeInvoiceFiles(run, join(out, month));
}

async function allFiles(dir: string): Promise<string> {
  let text = "";
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) text += await allFiles(path);
    else if (entry.isFile) text += new TextDecoder().decode(await Deno.readFile(path));
  }
  return text;
}

Deno.test({
  name: "push CLI: pushes the approved invoices; dry run, live, rerun, late events, corrections",
  fn: cliScenario,
});

async function cliScenario() {
  const { openWarehouse } = await import("../../src/warehouse/mod.ts");
  const month = previousMonth();
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-" });
  const store = join(dir, "events");
  const out = join(dir, "reports");
  const fake = await startFakeStripe({ validKeys: [KEY], echoKeyOnAuthError: true });
  try {
    const events: UsageEvent[] = [
      ["e1", "dept_a", "enkf_run", 120.5],
      ["e2", "dept_a", "api_call", 0.0015],
      ["e3", "dept_b", "enkf_run", 7.25],
    ].map(([id, tenant_id, event_type, compute_units]) => ({
      id: id as string,
      ts: `${month}-10T12:00:00.000Z`,
      tenant_id: tenant_id as string,
      event_type: event_type as string,
      compute_units: compute_units as number,
    }));
    const wh = await openWarehouse({ store });
    try {
      await wh.append(events);
    } finally {
      await wh.close();
    }
    const common = ["--month", month, "--store", store, "--out", out];
    const api = ["--stripe-api", fake.url, "--timeout-ms", "5000"];
    const invoice = async () => {
      const run = await deno(["invoice", "--month", month, "--store", store, "--out", out]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
    };

    // A live key without --live is refused before anything is read or sent.
    const refused = await cli([...common, ...api], { STRIPE_SECRET_KEY: LIVE_KEY });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /live-mode key .* --live/);
    assert.ok(!(refused.stdout + refused.stderr).includes(LIVE_KEY));
    assert.equal(fake.requests.length, 0);

    // --live without a key is refused too.
    const noKey = await cli([...common, ...api, "--live"], { STRIPE_SECRET_KEY: "" });
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /--live needs STRIPE_SECRET_KEY/);

    // Rule: quantities come from the approved invoices only; without them, say how to make them.
    const noInvoices = await cli([...common, ...api], { STRIPE_SECRET_KEY: KEY });
    assert.equal(noInvoices.code, 1);
    assert.equal(
      printed(noInvoices.stderr),
      `meterbook push: No invoices for ${month} at ${out}/${month}/invoices.json: run \`deno task invoice --month ${month}\` (or \`deno task report --month ${month}\`) first, or give the file with --invoices FILE`,
    );
    await invoice();

    // The dry run prints exactly what would be sent, sends nothing and writes nothing at all.
    const before = await snapshot(dir);
    const dry = await cli([...common, ...api], { STRIPE_SECRET_KEY: KEY });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /Dry run for \d{4}-\d{2} from .*invoices\.json: nothing was sent or written/,
    );
    assert.match(
      dry.stdout,
      new RegExp(
        `POST /v1/billing/meter_events \\{"event_name":"compute_units","payload":\\{"stripe_customer_id":"cus_demo_a","value":"120502"\\},"identifier":"mb-${month}-dept_a-compute_units-r1","timestamp":\\d+\\}`,
      ),
    );
    assert.match(dry.stdout, /dept_b\s+compute_units\s+7\.25\s+7250\s+would send/);
    assert.match(dry.stdout, /dept_c\s+compute_units\s+0\s+0\s+nothing to send/);
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(await snapshot(dir), before, "the dry run wrote nothing");

    // The live push (test-mode key, fake server): counts what Stripe accepted; the month ended
    // more than an hour ago, so each tenant sent to gets a grace-period warning.
    const live = await cli([...common, ...api, "--live"], { STRIPE_SECRET_KEY: KEY });
    assert.equal(live.code, 0, live.stdout + live.stderr);
    assert.match(
      live.stdout,
      /Pushed \d{4}-\d{2} from .*invoices\.json to Stripe \(test mode, http:\/\/127\.0\.0\.1:\d+\): 2 request\(s\) attempted, 2 accepted;/,
    );
    assert.match(live.stdout, /dept_a\s+compute_units\s+120\.5015\s+120502\s+sent/);
    assert.equal(fake.events.get(`mb-${month}-dept_b-compute_units-r1`)?.payload.value, "7250");
    for (const tenant of ["dept_a", "dept_b"]) {
      assert.match(
        live.stderr,
        new RegExp(
          `warning: ${tenant}: this push sent ${month}'s usage [\\d.]+ h after its billing period ended .* grace period .*check ${tenant}'s ${month} invoice in Stripe`,
        ),
      );
    }
    assert.ok(!live.stderr.includes("warning: dept_c"), "nothing sent to dept_c: no warning");

    // The rerun sends nothing (and warns about nothing).
    const rerun = await cli([...common, ...api, "--live", "--grace-hours", "2"], {
      STRIPE_SECRET_KEY: KEY,
    });
    assert.equal(rerun.code, 0);
    assert.match(rerun.stdout, /0 request\(s\) attempted, 0 accepted;/);
    assert.match(rerun.stdout, /dept_a\s+compute_units\s+120\.5015\s+120502\s+up to date/);
    assert.ok(!rerun.stderr.includes("grace period"));
    assert.equal(fake.requests.length, 2);

    // Reconciliation: no differences.
    const ok = await cli([...common, "--reconcile"], {});
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /No differences/);

    // Rule: a late event after approval changes nothing pushed; reconcile notes it, exit 0.
    const wh2 = await openWarehouse({ store });
    try {
      await wh2.append([{ ...events[2], id: "e4", compute_units: 1 }]);
    } finally {
      await wh2.close();
    }
    const stillApproved = await cli([...common, ...api], { STRIPE_SECRET_KEY: KEY });
    assert.match(stillApproved.stdout, /dept_b\s+compute_units\s+7\.25\s+7250\s+up to date/);
    const noted = await cli([...common, "--reconcile"], {});
    assert.equal(noted.code, 0, noted.stdout + noted.stderr);
    assert.match(noted.stdout, /dept_b\s+compute_units\s+7\.25\s+7250\s+7250\s+match/);
    assert.match(
      noted.stdout,
      new RegExp(
        `note: dept_b compute_units: the store now holds 8\\.25, the approved invoice 7\\.25 .*deno task invoice --month ${month}`,
      ),
    );
    assert.match(noted.stdout, /No differences/);

    // Finance approves the new invoices: reconcile lists the difference, the push corrects it.
    await invoice();
    const diff = await cli([...common, "--reconcile"], {});
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /dept_b\s+compute_units\s+8\.25\s+8250\s+7250\s+differs/);
    assert.match(diff.stdout, /1 difference\./);
    const fix = await cli([...common, ...api, "--live"], { STRIPE_SECRET_KEY: KEY });
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    assert.match(fix.stdout, /dept_b\s+compute_units\s+8\.25\s+8250\s+corrected/);
    assert.match(fix.stdout, /2 request\(s\) attempted, 2 accepted;/);
    assert.match(fix.stderr, /warning: dept_b: this push corrected .* grace period/);
    assert.equal(fake.events.get(`mb-${month}-dept_b-compute_units-r1`)?.cancelled, true);
    assert.equal(fake.events.get(`mb-${month}-dept_b-compute_units-r2`)?.payload.value, "8250");

    // Rule: a changed stripe_customer_id is a difference, and the push moves the usage.
    const tenants = JSON.parse(await Deno.readTextFile(join(ROOT, "data/tenants.json")));
    tenants.tenants.dept_a.stripe_customer_id = "cus_moved_a";
    const tenantsFile = join(dir, "tenants.json");
    await Deno.writeTextFile(tenantsFile, JSON.stringify(tenants));
    const moved = [...common, "--tenants", tenantsFile];
    const customerDiff = await cli([...moved, "--reconcile"], {});
    assert.equal(customerDiff.code, 1, customerDiff.stdout);
    assert.match(
      customerDiff.stdout,
      /dept_a\s+compute_units\s+120\.5015\s+120502\s+120502\s+differs/,
    );
    assert.match(customerDiff.stdout, /for cus_demo_a .* for cus_moved_a/);
    const move = await cli([...moved, ...api, "--live"], { STRIPE_SECRET_KEY: KEY });
    assert.equal(move.code, 0, move.stdout + move.stderr);
    assert.match(move.stdout, /dept_a\s+compute_units\s+120\.5015\s+120502\s+corrected/);
    assert.equal(
      fake.events.get(`mb-${month}-dept_a-compute_units-r2`)?.payload.stripe_customer_id,
      "cus_moved_a",
    );
    assert.equal((await cli([...moved, "--reconcile"], {})).code, 0);

    // --grace-hours is checked.
    const badGrace = await cli([...common, "--grace-hours", "100"], {});
    assert.equal(badGrace.code, 1);
    assert.match(badGrace.stderr, /--grace-hours "100": expected an integer from 0 to 72 \(hours/);
    // Rule: whole hours and ms in decimal digits only; Number() would take 1e3 and 0x10
    for (const [flag, value] of [["--grace-hours", "1e1"], ["--timeout-ms", "0x10"]]) {
      const bad = await cli([...common, flag, value], {});
      assert.equal(bad.code, 1);
      assert.match(
        printed(bad.stderr),
        new RegExp(`^meterbook push: ${flag} "${value}": expected an integer`),
      );
      assert.equal(printed(bad.stderr).split("\n").length, 1);
    }

    // A key Stripe refuses: its echo in the error is redacted, and the run fails.
    const badKey = "sk_test_WRONGsecret987654321";
    tenants.tenants.dept_a.stripe_customer_id = "cus_third_a";
    await Deno.writeTextFile(tenantsFile, JSON.stringify(tenants));
    const denied = await cli([...moved, ...api, "--live"], { STRIPE_SECRET_KEY: badKey });
    assert.equal(denied.code, 1);
    assert.match(denied.stdout, /failed/);
    assert.match(denied.stdout, /Invalid API Key provided: sk_\*\*\*/);
    assert.match(denied.stdout, /1 request\(s\) attempted, 0 accepted, 1 not accepted;/);

    // The keys never appear in any output or in any file of the store.
    const output = [
      refused,
      noKey,
      noInvoices,
      dry,
      live,
      rerun,
      ok,
      noted,
      diff,
      fix,
      move,
      denied,
    ]
      .map((r) => r.stdout + r.stderr).join("\n");
    const files = await allFiles(store);
    for (const key of [KEY, LIVE_KEY, badKey]) {
      assert.ok(!output.includes(key), `key in output`);
      assert.ok(!files.includes(key), `key in a store file`);
    }
    assert.ok(files.includes(`mb-${month}-dept_a-compute_units-r1`), "the ledger was written");
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("push CLI: an invoiced tenant missing from the tenants file is an error, not a skip", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-tenant-" });
  try {
    const month = previousMonth();
    await writeInvoices(dir, month, []);
    const tenants = JSON.parse(await Deno.readTextFile(join(ROOT, "data/tenants.json")));
    delete tenants.tenants.dept_a;
    const file = join(dir, "tenants.json");
    await Deno.writeTextFile(file, JSON.stringify(tenants));
    const out = await cli(
      ["--month", month, "--store", join(dir, "events"), "--out", dir, "--tenants", file],
      {},
    );
    assert.equal(out.code, 1, out.stdout + out.stderr);
    assert.match(
      out.stderr,
      /tenant "dept_a" is invoiced in .*invoices\.json but is not in .*tenants\.json/,
    );
    assert.equal(printed(out.stderr).split("\n").length, 1, "one line, no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push CLI: --invoices FILE is validated, naming the path and the problem", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-file-" });
  try {
    const month = previousMonth();
    const file = join(dir, "approved.json");
    await Deno.writeTextFile(file, JSON.stringify({ month, invoices: "none", summary: [] }));
    const out = await cli(
      ["--month", month, "--store", join(dir, "events"), "--invoices", file],
      {},
    );
    assert.equal(out.code, 1);
    assert.equal(
      printed(out.stderr),
      `meterbook push: ${file}: not an invoices file of \`deno task invoice\`: invoices: must be a list of invoices`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push CLI: a dry run writes nothing, even on a store whose metering WAL holds events", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-wal-" });
  try {
    const month = previousMonth();
    const store = join(dir, "events");
    await Deno.mkdir(join(store, "wal"), { recursive: true });
    const event = {
      id: "0192aaaa-0000-7000-8000-000000000002",
      ts: `${month}-10T12:00:00.000Z`,
      tenant_id: "dept_a",
      event_type: "api_call",
      compute_units: 2.5,
    };
    await Deno.writeTextFile(
      join(store, "wal", "0192aaaa-0000-7000-8000-000000000002.ndjson"),
      JSON.stringify(event) + "\n",
    );
    // the approved invoices bill 1.25 units; the WAL's event is not in them
    await writeInvoices(dir, month, [
      { tenant_id: "dept_a", event_type: "api_call", events: 1, compute_units: "1.25" },
    ]);
    const before = await snapshot(dir);
    const out = await cli(["--month", month, "--store", store, "--out", dir], {});
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /dept_a\s+compute_units\s+1\.25\s+1250\s+would send/);
    assert.deepEqual(
      await snapshot(dir),
      before,
      "no parquet, _meta, checkpoint or ledger written",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push CLI: a month that has not ended is pushed live only with --allow-open-month", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-open-" });
  try {
    const now = new Date();
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
    await writeInvoices(dir, month, [
      { tenant_id: "dept_a", event_type: "api_call", events: 1, compute_units: "1" },
    ]);
    const common = [
      "--month",
      month,
      "--store",
      join(dir, "events"),
      "--out",
      dir,
      "--stripe-api",
      "http://127.0.0.1:9",
    ];
    const live = await cli([...common, "--live"], { STRIPE_SECRET_KEY: "sk_test_openmonth" });
    assert.equal(live.code, 1, live.stdout + live.stderr);
    assert.match(
      live.stderr,
      new RegExp(`Cannot push month ${month} has not ended .* --allow-open-month`),
    );
    const dry = await cli(common, {});
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stderr, /warning: month .* has not ended/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push CLI: invoices without stripe_meter are refused and a tenant missing from them is held, not cancelled, unless --cancel-missing", async () => {
  const month = previousMonth();
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-held-" });
  const store = join(dir, "events");
  const fake = await startFakeStripe({ validKeys: [KEY] });
  const env = { STRIPE_SECRET_KEY: KEY };
  try {
    const usage: PricingUsageRow[] = [
      { tenant_id: "dept_a", event_type: "enkf_run", events: 2, compute_units: "12.5" },
      { tenant_id: "dept_b", event_type: "enkf_run", events: 1, compute_units: "3" },
    ];
    await writeInvoices(dir, month, usage);
    const live = [
      "--month",
      month,
      "--store",
      store,
      "--out",
      dir,
      "--stripe-api",
      fake.url,
      "--timeout-ms",
      "5000",
      "--live",
    ];
    const first = await cli(live, env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(fake.requests.length, 2);
    const ledgerFile = join(store, "ledger", `stripe-${month}.ndjson`);
    const ledgerBefore = await Deno.readTextFile(ledgerFile);

    // Rule: an invoices file where no line names a Stripe meter (written before stripe_meter
    // existed) is refused with one line, and nothing is sent or cancelled.
    const file = join(dir, month, "invoices.json");
    const approved = JSON.parse(await Deno.readTextFile(file));
    for (const invoice of approved.invoices) {
      for (const line of invoice.lines) delete line.stripe_meter;
    }
    await Deno.writeTextFile(file, JSON.stringify(approved, null, 2));
    const old = await cli(live, env);
    assert.equal(old.code, 1, old.stdout + old.stderr);
    assert.equal(
      printed(old.stderr),
      `meterbook push: no invoice line in ${file} names a Stripe meter (stripe_meter), so nothing ` +
        `was pushed: the file predates stripe_meter, or no plan charge has an event_name; rerun ` +
        `\`deno task invoice --month ${month}\` to write the meters`,
    );
    assert.equal(fake.requests.length, 2, "no request sent");
    assert.equal(await Deno.readTextFile(ledgerFile), ledgerBefore, "the ledger is untouched");

    // Rule: a tenant the invoices no longer have is held (reported, exit 1), never cancelled unasked.
    const tenants = JSON.parse(await Deno.readTextFile(join(ROOT, "data/tenants.json")));
    delete tenants.tenants.dept_b;
    const withoutB = join(dir, "tenants-without-b.json");
    await Deno.writeTextFile(withoutB, JSON.stringify(tenants));
    await writeInvoices(dir, month, usage, withoutB);
    const held = await cli(live, env);
    assert.equal(held.code, 1, held.stdout + held.stderr);
    assert.match(held.stdout, /dept_b\s+compute_units\s+0\s+0\s+missing/);
    assert.match(held.stdout, /dept_a\s+compute_units\s+12\.5\s+12500\s+up to date/);
    assert.match(
      held.stdout,
      /1 of them held \(missing from .*invoices\.json or now 0\): Stripe still bills them\. If the invoices are right, rerun with --cancel-missing/,
    );
    assert.equal(fake.requests.length, 2, "no cancel sent");
    assert.equal(fake.events.get(`mb-${month}-dept_b-compute_units-r1`)?.cancelled, false);

    // With --cancel-missing the user says the invoices are right: it is cancelled.
    const cancel = await cli([...live, "--cancel-missing"], env);
    assert.equal(cancel.code, 0, cancel.stdout + cancel.stderr);
    assert.match(cancel.stdout, /dept_b\s+compute_units\s+0\s+0\s+corrected/);
    assert.equal(fake.requests.at(-1)?.path, "/v1/billing/meter_event_adjustments");
    assert.equal(fake.events.get(`mb-${month}-dept_b-compute_units-r1`)?.cancelled, true);
    const rerun = await cli(live, env);
    assert.equal(rerun.code, 0, "nothing is held any more");
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
