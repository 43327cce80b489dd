import assert from "node:assert/strict";
import { PushLedger } from "./ledger.ts";
import type { MeterQuantity } from "./push.ts";
import { pushUsage } from "./push.ts";
import { lateUsageNotes, reconcilePush } from "./reconcile.ts";
import { pushTable, pushTextTable, reconcileTable } from "./table.ts";

const q = (tenant_id: string, quantity: string): MeterQuantity => ({
  tenant_id,
  stripe_customer_id: `cus_${tenant_id}`,
  meter: "compute_units",
  event_name: "compute_units",
  quantity,
  scale: 1000,
});

/** A ledger as a live push leaves it, with an API that accepts everything. */
async function pushed(quantities: MeterQuantity[]): Promise<PushLedger> {
  const ledger = PushLedger.memory("2026-10");
  await pushUsage({
    month: "2026-10",
    quantities,
    ledger,
    now: new Date("2026-11-02T00:00:00Z"),
    api: {
      createMeterEvent: () => Promise.resolve({ livemode: false }),
      cancelMeterEvent: () => Promise.resolve({ status: "pending" }),
    },
  });
  return ledger;
}

Deno.test("reconcile: no differences after a push", async () => {
  const quantities = [q("dept_a", "1.5"), q("dept_b", "2")];
  const result = reconcilePush({ month: "2026-10", quantities, ledger: await pushed(quantities) });
  assert.equal(result.ok, true);
  assert.deepEqual(result.rows.map((r) => r.status), ["match", "match"]);
});

Deno.test("reconcile: lists every difference", async () => {
  const ledger = await pushed([q("dept_a", "1.5"), q("dept_c", "3")]);
  const result = reconcilePush({
    month: "2026-10",
    quantities: [q("dept_a", "1.6"), q("dept_b", "2"), q("dept_d", "0")],
    ledger,
  });
  assert.equal(result.ok, false);
  assert.equal(result.differences, 3);
  assert.deepEqual(result.rows.map((r) => [r.tenant_id, r.expected, r.accepted, r.status]), [
    ["dept_a", "1600", "1500", "differs"],
    ["dept_b", "2000", "0", "not pushed"],
    ["dept_c", "0", "3000", "not invoiced"],
    ["dept_d", "0", "0", "match"],
  ]);
  const text = reconcileTable(result);
  assert.match(text, /dept_a\s+compute_units\s+1\.6\s+1600\s+1500\s+differs/);
  assert.match(text, /Stripe accepted 1500 \(mb-2026-10-dept_a-compute_units-r1\)/);
});

Deno.test("reconcile: the same value on another Stripe customer differs", async () => {
  const ledger = await pushed([q("dept_a", "1.5"), q("dept_b", "2")]);
  const moved = { ...q("dept_a", "1.5"), stripe_customer_id: "cus_moved" };
  const result = reconcilePush({ month: "2026-10", quantities: [moved, q("dept_b", "2")], ledger });
  assert.equal(result.ok, false);
  assert.deepEqual(result.rows.map((r) => r.status), ["differs", "match"]);
  assert.match(
    result.rows[0].detail!,
    /Stripe holds mb-2026-10-dept_a-compute_units-r1 for cus_dept_a .* for cus_moved/,
  );
});

Deno.test("reconcile: store usage that differs from the approved invoices is a note, not a difference", async () => {
  const approved = [q("dept_a", "1.5"), q("dept_b", "2")];
  const result = reconcilePush({
    month: "2026-10",
    quantities: approved,
    ledger: await pushed(approved),
    current: [q("dept_a", "1.75"), q("dept_b", "2.0"), q("dept_c", "3")],
  });
  assert.equal(result.ok, true, "Stripe matches the approved invoices");
  assert.equal(result.notes.length, 2);
  assert.match(
    result.notes[0],
    /^dept_a compute_units: the store now holds 1\.75, the approved invoice 1\.5 .*deno task invoice --month 2026-10/,
  );
  assert.match(
    result.notes[1],
    /^dept_c compute_units: the store now holds 3, the approved invoice 0/,
  );
  assert.deepEqual(lateUsageNotes("2026-10", approved, approved), []);
});

Deno.test("tables: aligned columns, notes under the table", async () => {
  assert.equal(
    pushTextTable(["a", "bb"], [["1", "2"], ["333", "4"]]),
    "a    bb\n---  --\n1    2\n333  4",
  );
  const result = await pushUsage({
    month: "2026-10",
    quantities: [q("dept_a", "1.5")],
    ledger: PushLedger.memory("2026-10"),
    now: new Date("2026-11-02T00:00:00Z"),
  });
  assert.equal(
    pushTable(result),
    [
      "tenant  meter          quantity  value  status",
      "------  -------------  --------  -----  ----------",
      "dept_a  compute_units  1.5       1500   would send",
    ].join("\n"),
  );
});
