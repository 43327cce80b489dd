/**
 * Plain-text tables for the push and reconcile output.
 *
 * @module
 */
import type { PushReconcileResult } from "./reconcile.ts";
import type { PushResult } from "./push.ts";

/**
 * Left-aligned columns separated by two spaces, with a dashed rule under
 * the header.
 *
 * @example
 * ```ts
 * import { pushTextTable } from "./table.ts";
 * pushTextTable(["a", "b"], [["1", "22"]]); // "a  b\n-  --\n1  22"
 * ```
 */
export function pushTextTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [
    line(headers),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n");
}

/**
 * The line that opens the push's output: for a dry run what would go, for a live push how many
 * requests were attempted and how many Stripe accepted (a request that never got an answer, e.g.
 * a closed port, is attempted but not accepted).
 *
 * @example
 * ```ts
 * import { pushSummary } from "./table.ts";
 * pushSummary({ month: "2026-10", dryRun: false, rows: [], requests: [], accepted: 0,
 *   duplicates: 0, warnings: [], ok: true }, { invoices: "i.json", ledger: "l.ndjson", mode: "test" });
 * // "Pushed 2026-10 from i.json to Stripe (test mode): 0 request(s) attempted, 0 accepted; ledger l.ndjson"
 * ```
 */
export function pushSummary(
  result: PushResult,
  where: { invoices: string; ledger: string; mode?: string; origin?: string },
): string {
  const attempted = result.requests.length;
  if (result.dryRun) {
    return `Dry run for ${result.month} from ${where.invoices}: nothing was sent or written. ` +
      `With --live (and STRIPE_SECRET_KEY) these ${attempted} request(s) would go to Stripe:`;
  }
  const answered = [`${result.accepted} accepted`];
  if (result.duplicates > 0) {
    answered.push(`${result.duplicates} already held by Stripe (duplicate identifier)`);
  }
  const unanswered = attempted - result.accepted - result.duplicates;
  if (unanswered > 0) answered.push(`${unanswered} not accepted`);
  const target = [where.mode ? `${where.mode} mode` : "", where.origin ?? ""].filter((x) => x);
  return `Pushed ${result.month} from ${where.invoices} to Stripe${
    target.length > 0 ? ` (${target.join(", ")})` : ""
  }: ${attempted} request(s) attempted, ${answered.join(", ")}; ledger ${where.ledger}`;
}

/** The push's final table (tenant, meter, quantity, value, status) and its notes. */
export function pushTable(result: PushResult): string {
  const table = pushTextTable(
    ["tenant", "meter", "quantity", "value", "status"],
    result.rows.map((r) => [r.tenant_id, r.meter, r.quantity, r.value, r.status]),
  );
  const notes = result.rows.filter((r) => r.detail).map((r) =>
    `${r.tenant_id} ${r.meter}: ${r.detail}`
  );
  return notes.length > 0 ? `${table}\n\n${notes.join("\n")}` : table;
}

/** The reconciliation table and its notes. */
export function reconcileTable(result: PushReconcileResult): string {
  const table = pushTextTable(
    ["tenant", "meter", "quantity", "expected", "accepted", "status"],
    result.rows.map((r) => [r.tenant_id, r.meter, r.quantity, r.expected, r.accepted, r.status]),
  );
  const notes = result.rows.filter((r) => r.detail).map((r) =>
    `${r.tenant_id} ${r.meter}: ${r.detail}`
  );
  return notes.length > 0 ? `${table}\n\n${notes.join("\n")}` : table;
}
