/**
 * Reconciliation: the month's quantities (from its approved invoices)
 * against what the push ledger says Stripe accepted: value, customer and
 * event name; and, as notes, where the event store now says something else
 * than the approved invoices (late events).
 *
 * @module
 */
import Big from "big.js";
import type { PushLedger } from "./ledger.ts";
import type { MeterQuantity } from "./push.ts";
import { defaultMeterValueScale, meterValue } from "./value.ts";

/** One tenant-meter comparison. */
export interface PushReconcileRow {
  tenant_id: string;
  meter: string;
  quantity: string;
  /** The value the push would send (quantity x scale, rounded). */
  expected: string;
  /** The value of the accepted, not cancelled events in the ledger ("0" when none). */
  accepted: string;
  status: "match" | "differs" | "not pushed" | "not invoiced" | "unresolved";
  detail?: string;
}

/** The comparison; `ok` is false when any row is not `match`. */
export interface PushReconcileResult {
  month: string;
  rows: PushReconcileRow[];
  differences: number;
  /**
   * Where `current` (the store's usage priced now) differs from the approved quantities:
   * late events, or changed plans. Notes, not differences: the approved invoices are what is
   * pushed until they are written again.
   */
  notes: string[];
  ok: boolean;
}

/**
 * Compares each quantity with the ledger (the value, and the customer and
 * event name of the accepted event), lists ledger entries that no quantity
 * accounts for, and notes where `current` differs from `quantities`.
 *
 * @example
 * ```ts
 * import { PushLedger, reconcilePush } from "./mod.ts";
 * const result = reconcilePush({ month: "2026-10", ledger: PushLedger.memory("2026-10"), quantities: [] });
 * result.ok; // true
 * ```
 */
export function reconcilePush(
  options: {
    month: string;
    /** The approved quantities (from the month's invoices). */
    quantities: MeterQuantity[];
    ledger: PushLedger;
    /** The same quantities derived from the store now, for the late-event notes (default none). */
    current?: MeterQuantity[];
  },
): PushReconcileResult {
  const { month, quantities, ledger } = options;
  const rows: PushReconcileRow[] = [];
  const covered = new Set<string>();
  for (const q of quantities) {
    covered.add(`${q.tenant_id}\u0000${q.meter}`);
    const expected = meterValue(q.quantity, q.scale ?? defaultMeterValueScale(q.meter));
    const state = ledger.state(q.tenant_id, q.meter);
    const accepted = sum(state.accepted.map((r) => r.value));
    const row: PushReconcileRow = {
      tenant_id: q.tenant_id,
      meter: q.meter,
      quantity: q.quantity,
      expected,
      accepted,
      status: "match",
    };
    if (state.pending || state.pendingCancel) {
      row.status = "unresolved";
      row.detail = state.pending
        ? `send of ${state.pending.identifier} has no outcome; rerun the push`
        : `cancel of ${state.pendingCancel!.identifier} has no outcome; rerun the push`;
    } else if (expected !== accepted) {
      row.status = state.accepted.length === 0 ? "not pushed" : "differs";
      if (state.accepted.length === 0 && expected === "0") row.status = "match";
      else {
        row.detail = state.accepted.length === 0
          ? "nothing accepted by Stripe yet"
          : `Stripe accepted ${accepted} (${state.accepted.map((r) => r.identifier).join(", ")})`;
      }
    } else {
      const elsewhere = state.accepted.filter((r) =>
        r.stripe_customer_id !== q.stripe_customer_id || r.event_name !== q.event_name
      );
      if (elsewhere.length > 0) {
        row.status = "differs";
        row.detail = elsewhere.map((r) =>
          `Stripe holds ${r.identifier} for ${r.stripe_customer_id} on ${r.event_name}, ` +
          `but the quantity is for ${q.stripe_customer_id} on ${q.event_name}`
        ).join("; ") + " (rerun the push to correct it)";
      }
    }
    rows.push(row);
  }
  const others = new Map<string, { tenant_id: string; meter: string }>();
  for (const r of ledger.records) {
    const key = `${r.tenant_id}\u0000${r.meter}`;
    if (!covered.has(key)) others.set(key, { tenant_id: r.tenant_id, meter: r.meter });
  }
  for (const { tenant_id, meter } of others.values()) {
    const state = ledger.state(tenant_id, meter);
    const accepted = sum(state.accepted.map((r) => r.value));
    if (accepted === "0" && !state.pending) continue;
    rows.push({
      tenant_id,
      meter,
      quantity: "-",
      expected: "0",
      accepted,
      status: "not invoiced",
      detail: "in the ledger but not in this month's invoices (tenant or charge removed?)",
    });
  }
  rows.sort((a, b) =>
    a.tenant_id === b.tenant_id
      ? (a.meter < b.meter ? -1 : a.meter > b.meter ? 1 : 0)
      : a.tenant_id < b.tenant_id
      ? -1
      : 1
  );
  const differences = rows.filter((r) => r.status !== "match").length;
  const notes = options.current ? lateUsageNotes(month, quantities, options.current) : [];
  return { month, rows, differences, notes, ok: differences === 0 };
}

/**
 * One note per tenant-meter whose quantity from the store now (`current`)
 * differs from the approved one.
 *
 * @example
 * ```ts
 * import { lateUsageNotes } from "./reconcile.ts";
 * const q = { tenant_id: "dept_a", stripe_customer_id: "cus_a", meter: "compute_units",
 *   event_name: "compute_units", quantity: "1.5" };
 * lateUsageNotes("2026-10", [q], [{ ...q, quantity: "2" }])[0];
 * // "dept_a compute_units: the store now holds 2, the approved invoice 1.5 ..."
 * ```
 */
export function lateUsageNotes(
  month: string,
  approved: readonly MeterQuantity[],
  current: readonly MeterQuantity[],
): string[] {
  const key = (q: MeterQuantity) => `${q.tenant_id}\u0000${q.meter}`;
  const now = new Map(current.map((q) => [key(q), q]));
  const before = new Map(approved.map((q) => [key(q), q]));
  const notes: string[] = [];
  const all = [...new Set([...before.keys(), ...now.keys()])].sort();
  for (const k of all) {
    const a = before.get(k);
    const c = now.get(k);
    const ref = (a ?? c)!;
    const was = a?.quantity ?? "0";
    const is = c?.quantity ?? "0";
    if (new Big(was).eq(is)) continue;
    notes.push(
      `${ref.tenant_id} ${ref.meter}: the store now holds ${is}, the approved invoice ${was} ` +
        `(late events, or a changed plan?); the approved quantity is what is pushed: if finance ` +
        `approves the change, run \`deno task invoice --month ${month}\`, then push again`,
    );
  }
  return notes;
}

function sum(values: string[]): string {
  return values.reduce((acc, v) => acc + BigInt(v), 0n).toString();
}
