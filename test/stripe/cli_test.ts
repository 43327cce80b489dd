/**
 * `deno task push` end to end: a subprocess running src/cli.ts against a
 * temp store and the local fake Stripe (no internet), checking the dry run,
 * the live push, the rerun, reconciliation, the live-key refusal, and that
 * the key never appears in output or in the ledger.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { UsageEvent } from "../../src/events/mod.ts";
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

async function cli(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli.ts", "push", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
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
  name: "push CLI: dry run, live push, rerun, reconcile, live key refusal, key never shown",
  fn: cliScenario,
});

async function cliScenario() {
  const { openWarehouse } = await import("../../src/warehouse/mod.ts");
  const month = previousMonth();
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-" });
  const store = join(dir, "events");
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
    const common = ["--month", month, "--store", store];
    const api = ["--stripe-api", fake.url, "--timeout-ms", "5000"];

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

    // The dry run prints exactly what would be sent, sends nothing and writes no ledger.
    const dry = await cli([...common, ...api], { STRIPE_SECRET_KEY: KEY });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run for \d{4}-\d{2}: nothing was sent/);
    assert.match(
      dry.stdout,
      new RegExp(
        `POST /v1/billing/meter_events \\{"event_name":"compute_units","payload":\\{"stripe_customer_id":"cus_demo_a","value":"120502"\\},"identifier":"mb-${month}-dept_a-compute_units-r1","timestamp":\\d+\\}`,
      ),
    );
    assert.match(dry.stdout, /dept_b\s+compute_units\s+7\.25\s+7250\s+would send/);
    assert.match(dry.stdout, /dept_c\s+compute_units\s+0\s+0\s+nothing to send/);
    assert.equal(fake.requests.length, 0);
    await assert.rejects(Deno.stat(join(store, "ledger")), Deno.errors.NotFound);

    // The live push (test-mode key, fake server).
    const live = await cli([...common, ...api, "--live"], { STRIPE_SECRET_KEY: KEY });
    assert.equal(live.code, 0, live.stdout + live.stderr);
    assert.match(
      live.stdout,
      /Pushed \d{4}-\d{2} to Stripe \(test mode, http:\/\/127\.0\.0\.1:\d+\): 2 request/,
    );
    assert.match(live.stdout, /dept_a\s+compute_units\s+120\.5015\s+120502\s+sent/);
    assert.equal(fake.events.get(`mb-${month}-dept_b-compute_units-r1`)?.payload.value, "7250");

    // The rerun sends nothing.
    const rerun = await cli([...common, ...api, "--live"], { STRIPE_SECRET_KEY: KEY });
    assert.equal(rerun.code, 0);
    assert.match(rerun.stdout, /0 request\(s\) sent/);
    assert.match(rerun.stdout, /dept_a\s+compute_units\s+120\.5015\s+120502\s+up to date/);
    assert.equal(fake.requests.length, 2);

    // Reconciliation: no differences; then a late event makes one.
    const ok = await cli([...common, "--reconcile"], {});
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /No differences/);
    const wh2 = await openWarehouse({ store });
    try {
      await wh2.append([{ ...events[2], id: "e4", compute_units: 1 }]);
    } finally {
      await wh2.close();
    }
    const diff = await cli([...common, "--reconcile"], {});
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /dept_b\s+compute_units\s+8\.25\s+8250\s+7250\s+differs/);
    assert.match(diff.stdout, /1 difference\./);

    // A key Stripe refuses: its echo in the error is redacted, and the run fails.
    const badKey = "sk_test_WRONGsecret987654321";
    const denied = await cli([...common, ...api, "--live"], { STRIPE_SECRET_KEY: badKey });
    assert.equal(denied.code, 1);
    assert.match(denied.stdout, /failed/);
    assert.match(denied.stdout, /Invalid API Key provided: sk_\*\*\*/);

    // The keys never appear in any output or in any file of the store.
    const output = [refused, noKey, dry, live, rerun, ok, diff, denied]
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

Deno.test("push CLI: a tenant whose plan is not in the plans file is an error, not a skip", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-plan-" });
  try {
    const tenants = JSON.parse(await Deno.readTextFile(join(ROOT, "data/tenants.json")));
    tenants.tenants.dept_a.plan = "no_such_plan";
    const file = join(dir, "tenants.json");
    await Deno.writeTextFile(file, JSON.stringify(tenants));
    const out = await cli(
      ["--month", previousMonth(), "--store", join(dir, "events"), "--tenants", file],
      {},
    );
    assert.equal(out.code, 1, out.stdout + out.stderr);
    assert.match(out.stderr, /tenants\.dept_a\.plan: unknown plan "no_such_plan"/);
    assert.ok(!out.stderr.includes("    at "), "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push CLI: events still in the metering WAL are pushed (as the invoices bill them)", async () => {
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
    const out = await cli(["--month", month, "--store", store], {});
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /dept_a\s+compute_units\s+2\.5\s+2500\s+would send/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push CLI: a month that has not ended is pushed live only with --allow-open-month", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-push-cli-open-" });
  try {
    const now = new Date();
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
    const store = join(dir, "events");
    const { openWarehouse } = await import("../../src/warehouse/mod.ts");
    const wh = await openWarehouse({ store });
    await wh.append([{
      id: "open-month-1",
      ts: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 0, 0, 1)).toISOString(),
      tenant_id: "dept_a",
      event_type: "api_call",
      compute_units: 1,
    }]);
    await wh.close();
    const common = ["--month", month, "--store", store, "--stripe-api", "http://127.0.0.1:9"];
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
