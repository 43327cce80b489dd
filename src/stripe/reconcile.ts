/**
 * Reconciliation: the month's quantities (from the store, as invoiced)
 * against what the push ledger says Stripe accepted.
 *
 * @module
 */
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
  ok: boolean;
}

/**
 * Compares each quantity with the ledger, and lists ledger entries that no
 * quantity accounts for.
 *
 * @example
 * ```ts
 * import { PushLedger, reconcilePush } from "./mod.ts";
 * const result = reconcilePush({ month: "2026-10", ledger: PushLedger.memory("2026-10"), quantities: [] });
 * result.ok; // true
 * ```
 */
export function reconcilePush(
  options: { month: string; quantities: MeterQuantity[]; ledger: PushLedger },
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
  return { month, rows, differences, ok: differences === 0 };
}

function sum(values: string[]): string {
  return values.reduce((acc, v) => acc + BigInt(v), 0n).toString();
}
