/**
 * The push library against the real `stripe` SDK talking to a local fake
 * Stripe server (127.0.0.1, port 0): no test reaches the internet.
 */
import assert from "node:assert/strict";
import {
  type MeterEventParams,
  type MeterQuantity,
  type PushEventRecord,
  PushLedger,
  pushLedgerPath,
  pushSummary,
  pushUsage,
  stripeMeterEventApi,
} from "../../src/stripe/mod.ts";
import { type FakeStripe, startFakeStripe } from "./fake_stripe.ts";

const MONTH = "2026-10";
const KEY = "sk_test_FAKEsecretKEY0123456789";
/** 2026-10-31T23:59:59Z */
const OCT_END = Date.UTC(2026, 10, 1) / 1000 - 1;

const QUANTITIES: MeterQuantity[] = [
  {
    tenant_id: "dept_a",
    stripe_customer_id: "cus_demo_a",
    meter: "compute_units",
    event_name: "compute_units",
    quantity: "1234.567891",
    scale: 1000,
  },
  {
    tenant_id: "dept_a",
    stripe_customer_id: "cus_demo_a",
    meter: "enkf_runs",
    event_name: "enkf_runs",
    quantity: "42",
    scale: 1,
  },
  {
    tenant_id: "dept_b",
    stripe_customer_id: "cus_demo_b",
    meter: "compute_units",
    event_name: "compute_units",
    quantity: "10.0005",
    scale: 1000,
  },
];

interface Harness {
  fake: FakeStripe;
  store: string;
  clock: { now: Date };
  slept: number[];
  push(options?: {
    quantities?: MeterQuantity[];
    timeoutMs?: number;
    dryRun?: boolean;
    key?: string;
    graceHours?: number;
    cancelMissing?: boolean;
  }): ReturnType<typeof pushUsage>;
  close(): Promise<void>;
}

async function harness(fakeOptions: Parameters<typeof startFakeStripe>[0] = {}): Promise<Harness> {
  const clock = { now: new Date("2026-11-02T09:00:00Z") };
  const fake = await startFakeStripe({ now: () => clock.now, ...fakeOptions });
  const store = await Deno.makeTempDir({ prefix: "mb-stripe-" });
  const slept: number[] = [];
  return {
    fake,
    store,
    clock,
    slept,
    async push(options = {}) {
      const dryRun = options.dryRun ?? false;
      const ledger = await PushLedger.open(store, MONTH, { readOnly: dryRun });
      return pushUsage({
        month: MONTH,
        quantities: options.quantities ?? QUANTITIES,
        ledger,
        now: clock.now,
        clock: () => clock.now,
        api: dryRun ? undefined : stripeMeterEventApi(options.key ?? KEY, {
          host: fake.host,
          port: fake.port,
          protocol: "http",
          timeoutMs: options.timeoutMs ?? 5000,
        }),
        retry: {
          sleep: (ms) => {
            slept.push(ms);
            return Promise.resolve();
          },
          random: () => 0.5,
        },
        graceHours: options.graceHours ?? 72,
        cancelMissing: options.cancelMissing,
      });
    },
    async close() {
      await fake.close();
      await Deno.remove(store, { recursive: true });
    },
  };
}

/** A `sending` record of dept_a's compute units, as a crashed run leaves it. */
function sendingRecord(at: string, value = "1234568"): PushEventRecord {
  return {
    type: "sending",
    at,
    month: MONTH,
    tenant_id: "dept_a",
    meter: "compute_units",
    event_name: "compute_units",
    identifier: "mb-2026-10-dept_a-compute_units-r1",
    revision: 1,
    stripe_customer_id: "cus_demo_a",
    quantity: "1234.567891",
    value,
    scale: 1000,
    timestamp: OCT_END,
  };
}

async function ledgerLines(store: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(pushLedgerPath(store, MONTH));
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test("push: a normal push sends one meter event per tenant and meter, form-encoded", async () => {
  const h = await harness();
  try {
    const result = await h.push();
    assert.equal(result.ok, true);
    assert.deepEqual(result.rows.map((r) => [r.tenant_id, r.meter, r.value, r.status]), [
      ["dept_a", "compute_units", "1234568", "sent"],
      ["dept_a", "enkf_runs", "42", "sent"],
      ["dept_b", "compute_units", "10001", "sent"],
    ]);
    assert.equal(h.fake.requests.length, 3);
    const first = h.fake.requests[0];
    assert.equal(first.path, "/v1/billing/meter_events");
    assert.equal(first.headers["content-type"], "application/x-www-form-urlencoded");
    assert.match(first.rawBody, /(^|&)payload\[value\]=1234568(&|$)/);
    assert.deepEqual(first.body, {
      event_name: "compute_units",
      payload: { stripe_customer_id: "cus_demo_a", value: "1234568" },
      identifier: "mb-2026-10-dept_a-compute_units-r1",
      timestamp: String(OCT_END),
    });
    assert.equal(h.fake.events.get("mb-2026-10-dept_b-compute_units-r1")?.payload.value, "10001");
    const lines = await ledgerLines(h.store);
    assert.deepEqual(lines.map((l) => l.type), [
      "sending",
      "accepted",
      "sending",
      "accepted",
      "sending",
      "accepted",
    ]);
    assert.equal(lines[1].via, "created");
    assert.equal(lines[1].livemode, false);
    assert.deepEqual(h.slept, []);
  } finally {
    await h.close();
  }
});

Deno.test("push: a rerun sends nothing", async () => {
  const h = await harness();
  try {
    await h.push();
    const before = h.fake.requests.length;
    const again = await h.push();
    assert.equal(again.ok, true);
    assert.equal(h.fake.requests.length, before);
    assert.deepEqual(again.requests, []);
    assert.deepEqual(again.rows.map((r) => r.status), ["up to date", "up to date", "up to date"]);
  } finally {
    await h.close();
  }
});

Deno.test("push: a dry run prints the requests and changes nothing", async () => {
  const h = await harness();
  try {
    const result = await h.push({ dryRun: true });
    assert.equal(result.dryRun, true);
    assert.equal(h.fake.requests.length, 0);
    assert.deepEqual(result.rows.map((r) => r.status), ["would send", "would send", "would send"]);
    assert.deepEqual(result.requests[2], {
      method: "POST",
      path: "/v1/billing/meter_events",
      body: {
        event_name: "compute_units",
        payload: { stripe_customer_id: "cus_demo_b", value: "10001" },
        identifier: "mb-2026-10-dept_b-compute_units-r1",
        timestamp: OCT_END,
      },
    });
    await assert.rejects(Deno.stat(pushLedgerPath(h.store, MONTH)), Deno.errors.NotFound);
  } finally {
    await h.close();
  }
});

Deno.test("push: Stripe's duplicate-identifier 400 counts as accepted", async () => {
  const h = await harness();
  try {
    // The event reached Stripe before (say from a machine whose ledger was lost).
    h.fake.events.set("mb-2026-10-dept_a-enkf_runs-r1", {
      event_name: "enkf_runs",
      identifier: "mb-2026-10-dept_a-enkf_runs-r1",
      payload: { stripe_customer_id: "cus_demo_a", value: "42" },
      timestamp: OCT_END,
      created: Math.floor(h.clock.now.getTime() / 1000),
      cancelled: false,
    });
    const result = await h.push();
    assert.equal(result.ok, true);
    assert.equal(result.rows[1].status, "accepted (duplicate)");
    assert.equal(h.fake.requests[1].status, 400);
    const accepted = (await ledgerLines(h.store)).filter((l) => l.type === "accepted");
    assert.deepEqual(accepted.map((l) => l.via), ["created", "duplicate", "created"]);
    assert.deepEqual(h.slept, [], "a duplicate is not retried");
    const again = await h.push();
    assert.deepEqual(again.requests, []);
  } finally {
    await h.close();
  }
});

Deno.test("push: 429 then success is retried with backoff", async () => {
  const h = await harness();
  try {
    h.fake.fault({ status: 429, message: "Too many requests hit the API too quickly." });
    const result = await h.push();
    assert.equal(result.ok, true);
    assert.deepEqual(result.rows.map((r) => r.status), ["sent", "sent", "sent"]);
    assert.equal(h.fake.requests.length, 4);
    assert.equal(h.fake.requests[0].status, 429);
    assert.deepEqual(h.slept, [375]); // base 500 ms: 250 + 0.5 * 250
    assert.equal(h.fake.events.size, 3);
  } finally {
    await h.close();
  }
});

Deno.test("push: 500 then success is retried; delays grow exponentially", async () => {
  const h = await harness();
  try {
    h.fake.fault({ status: 500 }, { status: 503 }, { status: 502 });
    const result = await h.push();
    assert.equal(result.ok, true);
    assert.deepEqual(h.slept, [375, 750, 1500]);
    assert.equal(h.fake.events.size, 3);
    assert.equal(result.requests.length, 3, "one logical request per event");
  } finally {
    await h.close();
  }
});

Deno.test("push: a timeout is retried; a lost response ends as accepted (duplicate)", async () => {
  const h = await harness();
  try {
    // The first request takes effect but its answer comes after the SDK's timeout.
    h.fake.fault({ delayMs: 600, applyFirst: true });
    const result = await h.push({ timeoutMs: 150 });
    assert.equal(result.ok, true);
    assert.equal(result.rows[0].status, "accepted (duplicate)");
    assert.equal(h.slept.length, 1);
    assert.equal(h.fake.events.size, 3);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-compute_units-r1")?.payload.value, "1234568");
  } finally {
    await h.close();
  }
});

Deno.test("push: retries give up after 6 attempts; the rerun resumes", async () => {
  const h = await harness();
  try {
    h.fake.fault(...Array.from({ length: 6 }, () => ({ status: 500 })));
    const result = await h.push();
    assert.equal(result.ok, false);
    assert.deepEqual(result.rows.map((r) => r.status), ["failed", "skipped", "sent"]);
    assert.match(result.rows[0].detail!, /HTTP 500/);
    assert.equal(h.slept.length, 5);
    // The send has no outcome in the ledger: the rerun resends the same identifier.
    const again = await h.push();
    assert.equal(again.ok, true);
    assert.deepEqual(again.rows.map((r) => r.status), ["sent", "sent", "up to date"]);
    assert.equal(
      (again.requests[0].body as MeterEventParams).identifier,
      "mb-2026-10-dept_a-compute_units-r1",
    );
  } finally {
    await h.close();
  }
});

Deno.test("push: another 4xx stops that tenant only, is reported, and the rerun resumes", async () => {
  const h = await harness({ customers: ["cus_demo_b"] });
  try {
    const result = await h.push();
    assert.equal(result.ok, false);
    assert.deepEqual(result.rows.map((r) => r.status), ["failed", "skipped", "sent"]);
    assert.match(result.rows[0].detail!, /HTTP 400 invalid_request_error \(resource_missing\)/);
    assert.match(result.rows[0].detail!, /No such customer: 'cus_demo_a'/);
    assert.deepEqual(h.slept, [], "4xx is not retried");
    const refused = (await ledgerLines(h.store)).filter((l) => l.type === "refused");
    assert.equal(refused.length, 1);
    // Fix the customer id; the rerun sends the rest only.
    const fixed = QUANTITIES.map((q) =>
      q.tenant_id === "dept_a" ? { ...q, stripe_customer_id: "cus_demo_b" } : q
    );
    const again = await h.push({ quantities: fixed });
    assert.equal(again.ok, true);
    assert.deepEqual(again.rows.map((r) => r.status), ["sent", "sent", "up to date"]);
    assert.equal(
      (again.requests[0].body as MeterEventParams).identifier,
      "mb-2026-10-dept_a-compute_units-r2",
    );
  } finally {
    await h.close();
  }
});

Deno.test("push: a refused API key stops every tenant; the key is redacted everywhere", async () => {
  const h = await harness({ echoKeyOnAuthError: true, validKeys: [KEY] });
  try {
    const wrong = "sk_test_WRONGkey0123456789";
    const result = await h.push({ key: wrong });
    assert.equal(result.ok, false);
    assert.deepEqual(result.rows.map((r) => r.status), ["failed", "skipped", "skipped"]);
    assert.equal(h.fake.requests.length, 1);
    assert.match(result.rows[0].detail!, /HTTP 401 .*Invalid API Key provided: sk_\*\*\*/);
    assert.match(result.rows[1].detail!, /Stripe refused the API key/);
    const ledgerText = await Deno.readTextFile(pushLedgerPath(h.store, MONTH));
    assert.ok(ledgerText.includes("sk_***"));
    assert.ok(!ledgerText.includes(wrong));
    assert.ok(!JSON.stringify(result).includes(wrong));
  } finally {
    await h.close();
  }
});

Deno.test("push: a changed quantity within 24 h is cancelled and sent as the next revision", async () => {
  const h = await harness();
  try {
    await h.push();
    h.clock.now = new Date(h.clock.now.getTime() + 3 * 3600_000);
    const changed = QUANTITIES.map((q, i) => (i === 0 ? { ...q, quantity: "1300" } : q));
    const result = await h.push({ quantities: changed });
    assert.equal(result.ok, true);
    assert.equal(result.rows[0].status, "corrected");
    assert.deepEqual(result.requests.map((r) => [r.path, r.body.event_name]), [
      ["/v1/billing/meter_event_adjustments", "compute_units"],
      ["/v1/billing/meter_events", "compute_units"],
    ]);
    assert.deepEqual(result.requests[0].body, {
      event_name: "compute_units",
      type: "cancel",
      cancel: { identifier: "mb-2026-10-dept_a-compute_units-r1" },
    });
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-compute_units-r1")?.cancelled, true);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-compute_units-r2")?.payload.value, "1300000");
    const again = await h.push({ quantities: changed });
    assert.deepEqual(again.requests, []);
  } finally {
    await h.close();
  }
});

Deno.test("push: a changed quantity after 24 h is reported for manual handling", async () => {
  const h = await harness();
  try {
    await h.push();
    h.clock.now = new Date(h.clock.now.getTime() + 25 * 3600_000);
    const changed = QUANTITIES.map((q, i) => (i === 0 ? { ...q, quantity: "1300" } : q));
    const result = await h.push({ quantities: changed });
    assert.equal(result.ok, false);
    assert.equal(result.rows[0].status, "manual");
    assert.match(result.rows[0].detail!, /24 h cancel window/);
    assert.deepEqual(result.requests, []);
  } finally {
    await h.close();
  }
});

Deno.test("push: a month older than 35 days is refused with a clear message", async () => {
  const h = await harness();
  try {
    h.clock.now = new Date("2026-12-10T00:00:00Z");
    await assert.rejects(h.push(), /month 2026-10.*35 days/);
    assert.equal(h.fake.requests.length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("push: after a crash between sending and recording, the rerun resends the same identifier", async () => {
  const h = await harness();
  try {
    // The crashed run wrote its intent and Stripe got the event; the answer was never recorded.
    const ledger = await PushLedger.open(h.store, MONTH);
    await ledger.append({
      type: "sending",
      at: "2026-11-02T08:00:00.000Z",
      month: MONTH,
      tenant_id: "dept_a",
      meter: "compute_units",
      event_name: "compute_units",
      identifier: "mb-2026-10-dept_a-compute_units-r1",
      revision: 1,
      stripe_customer_id: "cus_demo_a",
      quantity: "1234.567891",
      value: "1234568",
      scale: 1000,
      timestamp: OCT_END,
    });
    h.fake.events.set("mb-2026-10-dept_a-compute_units-r1", {
      event_name: "compute_units",
      identifier: "mb-2026-10-dept_a-compute_units-r1",
      payload: { stripe_customer_id: "cus_demo_a", value: "1234568" },
      timestamp: OCT_END,
      created: Math.floor(Date.parse("2026-11-02T08:00:00Z") / 1000),
      cancelled: false,
    });
    const result = await h.push();
    assert.equal(result.ok, true);
    assert.deepEqual(result.rows.map((r) => r.status), ["accepted (duplicate)", "sent", "sent"]);
    assert.equal(h.fake.events.size, 3);
  } finally {
    await h.close();
  }
});

Deno.test("push: an unsettled send with an older quantity is settled first, then corrected", async () => {
  const h = await harness();
  try {
    const ledger = await PushLedger.open(h.store, MONTH);
    await ledger.append({
      type: "sending",
      at: "2026-11-02T08:00:00.000Z",
      month: MONTH,
      tenant_id: "dept_a",
      meter: "compute_units",
      event_name: "compute_units",
      identifier: "mb-2026-10-dept_a-compute_units-r1",
      revision: 1,
      stripe_customer_id: "cus_demo_a",
      quantity: "1000",
      value: "1000000",
      scale: 1000,
      timestamp: OCT_END,
    });
    const result = await h.push({ quantities: [QUANTITIES[0]] });
    assert.equal(result.ok, true);
    assert.equal(result.rows[0].status, "corrected");
    assert.deepEqual(result.requests.map((r) => r.path), [
      "/v1/billing/meter_events",
      "/v1/billing/meter_event_adjustments",
      "/v1/billing/meter_events",
    ]);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-compute_units-r1")?.cancelled, true);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-compute_units-r2")?.payload.value, "1234568");
  } finally {
    await h.close();
  }
});

Deno.test("a live push refuses a month that has not ended unless allowOpenMonth is set", async () => {
  const fake = await startFakeStripe();
  try {
    const api = stripeMeterEventApi(KEY, { host: "127.0.0.1", port: fake.port, protocol: "http" });
    // the current month (the fake applies Stripe's 35-day rule against the real clock)
    const midMonth = new Date();
    const month = midMonth.toISOString().slice(0, 7);
    const open: MeterQuantity[] = [QUANTITIES[0]];
    await assert.rejects(
      pushUsage({
        month,
        quantities: open,
        ledger: PushLedger.memory(month),
        now: midMonth,
        api,
      }),
      new RegExp(`Cannot push month ${month} has not ended .*--allow-open-month`),
    );
    assert.equal(fake.events.size, 0, "nothing was sent");
    // a dry run only warns
    const lines: string[] = [];
    const dry = await pushUsage({
      month,
      quantities: open,
      ledger: PushLedger.memory(month),
      now: midMonth,
      log: (line) => lines.push(line),
    });
    assert.equal(dry.dryRun, true);
    assert.ok(lines.some((l) => /warning: month .* has not ended/.test(l)), lines.join("\n"));
    // allowed explicitly, it sends the month-to-date quantity
    const allowed = await pushUsage({
      month,
      quantities: open,
      ledger: PushLedger.memory(month),
      now: midMonth,
      api,
      allowOpenMonth: true,
    });
    assert.equal(allowed.ok, true);
    assert.equal(fake.events.size, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("push: a normal push counts what Stripe accepted (summary: attempted vs accepted)", async () => {
  const h = await harness();
  try {
    const result = await h.push();
    assert.equal(result.requests.length, 3);
    assert.equal(result.accepted, 3);
    assert.equal(result.duplicates, 0);
    assert.match(
      pushSummary(result, { invoices: "i.json", ledger: "l.ndjson", mode: "test" }),
      /: 3 request\(s\) attempted, 3 accepted; ledger l\.ndjson$/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("push: requests to a closed port are attempted, none accepted, and the summary says so", async () => {
  // a port that was just free: nothing listens on it
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const result = await pushUsage({
    month: MONTH,
    quantities: QUANTITIES,
    ledger: PushLedger.memory(MONTH),
    now: new Date("2026-11-02T09:00:00Z"),
    api: stripeMeterEventApi(KEY, { host: "127.0.0.1", port, protocol: "http", timeoutMs: 2000 }),
    retry: { sleep: () => Promise.resolve(), maxAttempts: 2 },
  });
  assert.equal(result.ok, false);
  assert.deepEqual(result.rows.map((r) => r.status), ["failed", "skipped", "failed"]);
  assert.equal(result.requests.length, 2, "dept_a's second meter is not attempted");
  assert.equal(result.accepted, 0);
  assert.match(
    pushSummary(result, { invoices: "i.json", ledger: "l.ndjson", mode: "test" }),
    /: 2 request\(s\) attempted, 0 accepted, 2 not accepted;/,
  );
});

Deno.test("fake Stripe: a 429 carries Stripe's rate-limit error (invalid_request_error, rate_limit)", async () => {
  const fake = await startFakeStripe();
  try {
    fake.fault({ status: 429 });
    const response = await fetch(`${fake.url}/v1/billing/meter_events`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: "event_name=compute_units",
    });
    assert.equal(response.status, 429);
    const { error } = await response.json();
    assert.equal(error.type, "invalid_request_error");
    assert.equal(error.code, "rate_limit");
    assert.equal(error.doc_url, "https://stripe.com/docs/error-codes/rate-limit");
    assert.match(error.message, /^Request rate limit exceeded\./);
  } finally {
    await fake.close();
  }
});

Deno.test("push: a rate limit sent as a 400 with code rate_limit is retried, like a 429", async () => {
  const h = await harness();
  try {
    h.fake.fault({ status: 400, code: "rate_limit" });
    const result = await h.push();
    assert.equal(result.ok, true);
    assert.deepEqual(result.rows.map((r) => r.status), ["sent", "sent", "sent"]);
    assert.equal(h.fake.requests[0].status, 400);
    assert.deepEqual(h.slept, [375], "retried once, with backoff");
    assert.equal(h.fake.received.length, 3, "each event stored once");
  } finally {
    await h.close();
  }
});

Deno.test("push: a changed stripe_customer_id within 24 h is cancelled and resent to the new customer", async () => {
  const h = await harness();
  try {
    await h.push();
    h.clock.now = new Date(h.clock.now.getTime() + 2 * 3600_000);
    const moved = QUANTITIES.map((
      q,
      i,
    ) => (i === 0 ? { ...q, stripe_customer_id: "cus_new_a" } : q));
    const result = await h.push({ quantities: moved });
    assert.equal(result.ok, true);
    assert.deepEqual(result.rows.map((r) => r.status), ["corrected", "up to date", "up to date"]);
    assert.match(result.rows[0].detail!, /stripe_customer_id cus_demo_a is now cus_new_a/);
    assert.match(result.rows[0].detail!, /Stripe's cancel status: pending/);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-compute_units-r1")?.cancelled, true);
    const r2 = h.fake.events.get("mb-2026-10-dept_a-compute_units-r2")!;
    assert.deepEqual(r2.payload, { stripe_customer_id: "cus_new_a", value: "1234568" });
    // the ledger records the status Stripe gave the cancel, not a claim that it is done
    const cancelled = (await ledgerLines(h.store)).filter((l) => l.type === "cancelled");
    assert.deepEqual(cancelled.map((l) => l.status), ["pending"]);
    assert.deepEqual((await h.push({ quantities: moved })).requests, []);
  } finally {
    await h.close();
  }
});

Deno.test("push: a changed stripe_customer_id after the cancel window is reported manual", async () => {
  const h = await harness();
  try {
    await h.push();
    // 23 h 51 min: inside Stripe's 24 h but past the 10-minute margin
    h.clock.now = new Date(h.clock.now.getTime() + (23 * 60 + 51) * 60_000);
    const moved = QUANTITIES.map((
      q,
      i,
    ) => (i === 0 ? { ...q, stripe_customer_id: "cus_new_a" } : q));
    const result = await h.push({ quantities: moved });
    assert.equal(result.ok, false);
    assert.equal(result.rows[0].status, "manual");
    assert.match(result.rows[0].detail!, /stripe_customer_id cus_demo_a is now cus_new_a/);
    assert.match(result.rows[0].detail!, /24 h cancel window/);
    assert.deepEqual(result.requests, []);
  } finally {
    await h.close();
  }
});

Deno.test("push: a changed event_name is cancelled on the old meter and resent on the new one", async () => {
  const h = await harness();
  try {
    await h.push();
    const renamed = QUANTITIES.map((q, i) => (i === 1 ? { ...q, event_name: "enkf_runs_v2" } : q));
    const result = await h.push({ quantities: renamed });
    assert.equal(result.rows[1].status, "corrected");
    assert.deepEqual(result.requests.map((r) => [r.path, r.body.event_name]), [
      ["/v1/billing/meter_event_adjustments", "enkf_runs"],
      ["/v1/billing/meter_events", "enkf_runs_v2"],
    ]);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-enkf_runs-r1")?.cancelled, true);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-enkf_runs-r2")?.event_name, "enkf_runs_v2");
  } finally {
    await h.close();
  }
});

Deno.test("push: a meter that is no longer in the quantities is held without cancelMissing; with it, cancelled within 24 h, manual after", async () => {
  const h = await harness();
  try {
    await h.push();
    // the CLI names meters by event_name: a renamed Stripe meter drops the old key
    const renamed = QUANTITIES.map((
      q,
      i,
    ) => (i === 1 ? { ...q, meter: "runs", event_name: "runs" } : q));

    // Rule: an accepted event missing from the quantities is never cancelled unasked
    const held = await h.push({ quantities: renamed });
    assert.equal(held.ok, false);
    assert.deepEqual(held.rows.map((r) => [r.meter, r.status]), [
      ["compute_units", "up to date"],
      ["enkf_runs", "missing"],
      ["runs", "sent"],
      ["compute_units", "up to date"],
    ]);
    assert.match(
      held.rows[1].detail!,
      /^mb-2026-10-dept_a-enkf_runs-r1 \(value 42 for cus_demo_a\) is accepted by Stripe .*not in this push's quantities.*: not cancelled\. If Stripe should not bill it, rerun with --cancel-missing .*`deno task invoice --month 2026-10`/,
    );
    assert.deepEqual(held.requests.map((r) => r.path), ["/v1/billing/meter_events"]);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-enkf_runs-r1")?.cancelled, false);

    const result = await h.push({ quantities: renamed, cancelMissing: true });
    assert.equal(result.ok, true);
    assert.deepEqual(result.rows.map((r) => [r.meter, r.status]), [
      ["compute_units", "up to date"],
      ["enkf_runs", "corrected"],
      ["runs", "up to date"],
      ["compute_units", "up to date"],
    ]);
    assert.match(result.rows[1].detail!, /no longer in this push's quantities/);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-enkf_runs-r1")?.cancelled, true);
    assert.equal(h.fake.events.get("mb-2026-10-dept_a-runs-r1")?.payload.value, "42");
    // a rerun has nothing left to cancel, and nothing is held any more
    const again = await h.push({ quantities: renamed });
    assert.deepEqual(again.requests, []);
    assert.equal(again.ok, true);

    // dept_b loses its customer id (so its quantity is gone) after the cancel window
    h.clock.now = new Date(h.clock.now.getTime() + 25 * 3600_000);
    const gone = renamed.filter((q) => q.tenant_id !== "dept_b");
    const late = await h.push({ quantities: gone, cancelMissing: true });
    assert.equal(late.ok, false);
    assert.deepEqual(late.rows.at(-1)!.status, "manual");
    assert.match(late.rows.at(-1)!.detail!, /24 h cancel window has passed/);
    assert.deepEqual(late.requests, []);
    // without the flag it is held (the invoices may be what is wrong), not sent to the Dashboard
    assert.equal((await h.push({ quantities: gone })).rows.at(-1)!.status, "missing");
  } finally {
    await h.close();
  }
});

Deno.test("push: a quantity that drops to 0 is held, never cancelled, unless cancelMissing", async () => {
  const h = await harness();
  try {
    await h.push();
    const zero = QUANTITIES.map((q, i) => (i === 2 ? { ...q, quantity: "0" } : q));
    for (const dryRun of [true, false]) {
      const held = await h.push({ quantities: zero, dryRun });
      assert.equal(held.ok, false);
      assert.deepEqual(held.rows.map((r) => r.status), ["up to date", "up to date", "held"]);
      assert.match(
        held.rows[2].detail!,
        /^mb-2026-10-dept_b-compute_units-r1 \(value 10001 for cus_demo_b\) is accepted by Stripe .*its quantity is now 0: not cancelled\. .*--cancel-missing/,
      );
      assert.deepEqual(held.requests, []);
    }
    assert.equal(h.fake.events.get("mb-2026-10-dept_b-compute_units-r1")?.cancelled, false);

    // a genuine change to a non-zero quantity is still corrected without the flag
    const changed = zero.map((q, i) => (i === 2 ? { ...q, quantity: "11" } : q));
    const corrected = await h.push({ quantities: changed });
    assert.equal(corrected.ok, true);
    assert.equal(corrected.rows[2].status, "corrected");
    assert.equal(h.fake.events.get("mb-2026-10-dept_b-compute_units-r2")?.payload.value, "11000");

    const cancelled = await h.push({ quantities: zero, cancelMissing: true });
    assert.equal(cancelled.ok, true);
    assert.equal(cancelled.rows[2].status, "corrected");
    assert.equal(h.fake.events.get("mb-2026-10-dept_b-compute_units-r2")?.cancelled, true);
    assert.deepEqual(cancelled.requests.map((r) => r.path), [
      "/v1/billing/meter_event_adjustments",
    ]);
  } finally {
    await h.close();
  }
});

Deno.test("push: a dry run's correction says it would cancel, and gives no Stripe status", async () => {
  const h = await harness();
  try {
    await h.push();
    const changed = QUANTITIES.map((q, i) => (i === 0 ? { ...q, quantity: "1300" } : q));
    const dry = await h.push({ quantities: changed, dryRun: true });
    assert.equal(dry.rows[0].status, "would correct");
    assert.equal(
      dry.rows[0].detail,
      "would cancel mb-2026-10-dept_a-compute_units-r1 (quantity 1234.567891 (value 1234568) " +
        "is now 1300 (value 1300000))",
    );
    const live = await h.push({ quantities: changed });
    assert.match(
      live.rows[0].detail!,
      /^mb-2026-10-dept_a-compute_units-r1 cancelled \(.*; Stripe's cancel status: pending\)$/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("fake Stripe: an identifier is unique for 24 h only, as Stripe promises (at least)", async () => {
  const h = await harness();
  try {
    await h.push({ quantities: [QUANTITIES[0]] });
    const api = stripeMeterEventApi(KEY, {
      host: h.fake.host,
      port: h.fake.port,
      protocol: "http",
    });
    const params = h.fake.requests[0].body as unknown as MeterEventParams;
    const resend = { ...params, timestamp: Number(params.timestamp) };
    h.clock.now = new Date(h.clock.now.getTime() + 23 * 3600_000);
    await assert.rejects(api.createMeterEvent(resend), /already exists with identifier/);
    h.clock.now = new Date(h.clock.now.getTime() + 3600_000 + 1000);
    await api.createMeterEvent(resend);
    assert.equal(h.fake.received.length, 2, "the late resend was counted twice");
  } finally {
    await h.close();
  }
});

Deno.test("push: an unsettled send is resent only until 10 minutes before its 24 h identifier window ends", async () => {
  for (
    const [after, expected] of [[23 * 60 + 49, "accepted (duplicate)"], [
      23 * 60 + 51,
      "manual",
    ]] as const
  ) {
    const h = await harness();
    try {
      const sentAt = h.clock.now;
      // the crashed run wrote its intent, and Stripe got the event
      const ledger = await PushLedger.open(h.store, MONTH);
      await ledger.append(sendingRecord(sentAt.toISOString()));
      h.fake.events.set("mb-2026-10-dept_a-compute_units-r1", {
        event_name: "compute_units",
        identifier: "mb-2026-10-dept_a-compute_units-r1",
        payload: { stripe_customer_id: "cus_demo_a", value: "1234568" },
        timestamp: OCT_END,
        created: Math.floor(sentAt.getTime() / 1000),
        cancelled: false,
      });
      h.clock.now = new Date(sentAt.getTime() + after * 60_000);
      const result = await h.push({ quantities: [QUANTITIES[0]] });
      assert.equal(result.rows[0].status, expected, `${after} min after the send`);
      if (expected === "manual") {
        assert.deepEqual(result.requests, [], "no resend that could land after the window");
        assert.match(result.rows[0].detail!, /could be counted twice/);
      }
      assert.equal(h.fake.received.length, 0, "Stripe never counted it twice");
    } finally {
      await h.close();
    }
  }
});

Deno.test("push: a push later than the grace period after a tenant's period end warns, per tenant", async () => {
  const h = await harness();
  try {
    // 2026-11-02T09:00Z is 33 h after October ended in UTC
    const result = await h.push({ graceHours: 1 });
    assert.equal(result.ok, true, "it still sends");
    assert.equal(result.warnings.length, 2);
    assert.match(
      result.warnings[0],
      /^dept_a: this push sent 2026-10's usage 33 h after its billing period ended \(2026-11-01T00:00:00\.000Z\), later than Stripe's 1 h invoice finalization grace period .*check dept_a's 2026-10 invoice in Stripe$/,
    );
    assert.match(result.warnings[1], /^dept_b: /);
    // nothing sent, nothing to warn about
    assert.deepEqual((await h.push({ graceHours: 1 })).warnings, []);
  } finally {
    await h.close();
  }
  const inTime = await harness();
  try {
    assert.deepEqual((await inTime.push({ graceHours: 72 })).warnings, []);
  } finally {
    await inTime.close();
  }
});
