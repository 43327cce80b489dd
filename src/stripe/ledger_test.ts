import assert from "node:assert/strict";
import { type PushEventRecord, PushLedger, pushLedgerPath } from "./ledger.ts";

function event(
  type: "sending" | "accepted",
  revision: number,
  value: string,
  at: string,
): PushEventRecord {
  return {
    type,
    at,
    month: "2026-10",
    tenant_id: "dept_a",
    meter: "compute_units",
    event_name: "compute_units",
    identifier: `mb-2026-10-dept_a-compute_units-r${revision}`,
    revision,
    stripe_customer_id: "cus_a",
    quantity: value,
    value,
    scale: 1,
    timestamp: 1793491199,
    ...(type === "accepted" ? { via: "created" as const } : {}),
  };
}

Deno.test("ledger: appends NDJSON lines to <store>/ledger and reads them back", async () => {
  const store = await Deno.makeTempDir();
  try {
    const ledger = await PushLedger.open(store, "2026-10");
    assert.equal(ledger.records.length, 0);
    await ledger.append(event("sending", 1, "5", "2026-11-02T00:00:00.000Z"));
    await ledger.append(event("accepted", 1, "5", "2026-11-02T00:00:01.000Z"));
    assert.equal(pushLedgerPath(store, "2026-10"), `${store}/ledger/stripe-2026-10.ndjson`);
    const text = await Deno.readTextFile(pushLedgerPath(store, "2026-10"));
    assert.equal(text.split("\n").length, 3);
    const again = await PushLedger.open(store, "2026-10");
    const state = again.state("dept_a", "compute_units");
    assert.equal(state.live?.value, "5");
    assert.equal(state.liveSentAt, "2026-11-02T00:00:00.000Z");
    assert.equal(state.pending, undefined);
    assert.equal(state.maxRevision, 1);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("ledger: a torn last line is skipped and the next record starts a new line", async () => {
  const store = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${store}/ledger`);
    const good = JSON.stringify(event("sending", 1, "5", "2026-11-02T00:00:00.000Z"));
    await Deno.writeTextFile(pushLedgerPath(store, "2026-10"), `${good}\n{"type":"acc`);
    const ledger = await PushLedger.open(store, "2026-10");
    assert.equal(ledger.skipped, 1);
    assert.equal(ledger.state("dept_a", "compute_units").pending?.revision, 1);
    await ledger.append(event("accepted", 1, "5", "2026-11-02T00:00:01.000Z"));
    const again = await PushLedger.open(store, "2026-10");
    assert.equal(again.records.length, 2);
    assert.equal(again.state("dept_a", "compute_units").live?.revision, 1);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("ledger: a read-only ledger never writes", async () => {
  const store = await Deno.makeTempDir();
  try {
    const ledger = await PushLedger.open(store, "2026-10", { readOnly: true });
    await ledger.append(event("sending", 1, "5", "2026-11-02T00:00:00.000Z"));
    assert.equal(ledger.records.length, 1);
    await assert.rejects(Deno.stat(`${store}/ledger`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("ledger state: cancels, refusals and pending sends", () => {
  const base = {
    month: "2026-10",
    tenant_id: "dept_a",
    meter: "compute_units",
    event_name: "compute_units",
  };
  const ledger = PushLedger.memory("2026-10", [
    event("sending", 1, "5", "2026-11-02T00:00:00.000Z"),
    event("accepted", 1, "5", "2026-11-02T00:00:01.000Z"),
    {
      ...base,
      type: "cancel_sending",
      at: "2026-11-02T01:00:00.000Z",
      identifier: "mb-2026-10-dept_a-compute_units-r1",
    },
    {
      ...base,
      type: "cancelled",
      at: "2026-11-02T01:00:01.000Z",
      identifier: "mb-2026-10-dept_a-compute_units-r1",
      status: "pending",
    },
    event("sending", 2, "7", "2026-11-02T01:00:02.000Z"),
  ]);
  const state = ledger.state("dept_a", "compute_units");
  assert.equal(state.live, undefined);
  assert.equal(state.pending?.revision, 2);
  assert.equal(state.maxRevision, 2);
  assert.equal(state.pendingCancel, undefined);

  const refused = PushLedger.memory("2026-10", [
    event("sending", 1, "5", "2026-11-02T00:00:00.000Z"),
    {
      ...base,
      type: "refused",
      at: "2026-11-02T00:00:01.000Z",
      identifier: "mb-2026-10-dept_a-compute_units-r1",
      http_status: 400,
      message: "No such customer",
    },
  ]).state("dept_a", "compute_units");
  assert.equal(refused.pending, undefined);
  assert.equal(refused.live, undefined);
  assert.equal(refused.maxRevision, 1);
  assert.equal(ledger.state("dept_b", "compute_units").maxRevision, 0);
});
