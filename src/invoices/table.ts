/**
 * The printed summaries: the seed's invoice table (Tenant, Compute units,
 * Base ($), Usage ($), Total ($)) and the tier fit.
 *
 * @module
 */
import { CURRENCY_SYMBOLS } from "../money/currency.ts";
import { groupDecimalDigits } from "../money/decimal.ts";
import { formatMoney } from "../money/format.ts";
import type { InvoiceRun } from "./types.ts";

/** Renders rows as a plain-text table: text columns (`left`, default the first) left-aligned, the rest right-aligned. */
export function textTable(header: string[], rows: string[][], left: number[] = [0]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (row: string[]) =>
    row.map((cell, i) => (left.includes(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ").trimEnd();
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

function moneyColumns(currencies: Set<string>): {
  suffix: string;
  show: (minor: number, currency: string) => string;
} {
  if (currencies.size === 1) {
    const [c] = currencies;
    const label = Object.hasOwn(CURRENCY_SYMBOLS, c) ? CURRENCY_SYMBOLS[c] : c;
    return { suffix: ` (${label})`, show: (m, cur) => formatMoney(m, cur, { symbol: false }) };
  }
  return { suffix: "", show: (m, cur) => formatMoney(m, cur) };
}

/**
 * The seed's table: one row per invoiced tenant, then unbilled tenants
 * (marked, with their compute units and no amounts).
 *
 * @example
 * ```ts
 * import { formatInvoiceTable } from "./table.ts";
 * // Tenant  Compute units  Base ($)  Usage ($)  Total ($)
 * // dept_a     1,234.5678    500.00      61.73     561.73
 * ```
 */
export function formatInvoiceTable(run: InvoiceRun): string {
  const { suffix, show } = moneyColumns(new Set(run.summary.map((r) => r.currency)));
  const rows = run.summary.map((r) => [
    r.tenant_id,
    groupDecimalDigits(r.compute_units),
    show(r.base_minor, r.currency),
    show(r.usage_minor, r.currency),
    show(r.total_minor, r.currency),
  ]);
  for (const u of run.unbilled) {
    rows.push([`${u.tenant_id} (unbilled)`, groupDecimalDigits(u.compute_units), "-", "-", "-"]);
  }
  return textTable(
    ["Tenant", "Compute units", `Base${suffix}`, `Usage${suffix}`, `Total${suffix}`],
    rows,
  );
}

/**
 * The tier fit table: each tenant's current plan and total, what each tier
 * plan would have cost, the cheapest and the saving.
 *
 * @example
 * ```ts
 * import { formatTierFitTable } from "./table.ts";
 * // Tenant  Plan    Current ($)  starter ($)  professional ($)  enterprise ($)  Cheapest  Saving ($)
 * ```
 */
export function formatTierFitTable(run: InvoiceRun): string {
  const { suffix, show } = moneyColumns(new Set(run.tier_fit.map((r) => r.currency)));
  const tiers: string[] = [];
  for (const row of run.tier_fit) {
    for (const plan of Object.keys(row.costs)) if (!tiers.includes(plan)) tiers.push(plan);
  }
  const rows = run.tier_fit.map((r) => [
    r.tenant_id,
    r.plan,
    show(r.current_total_minor, r.currency),
    ...tiers.map((t) => (t in r.costs ? show(r.costs[t], r.currency) : "-")),
    r.cheapest,
    show(r.saving_minor, r.currency),
  ]);
  return textTable(
    [
      "Tenant",
      "Plan",
      `Current${suffix}`,
      ...tiers.map((t) => `${t}${suffix}`),
      "Cheapest",
      `Saving${suffix}`,
    ],
    rows,
    [0, 1, 3 + tiers.length],
  );
}
