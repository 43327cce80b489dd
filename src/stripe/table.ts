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
