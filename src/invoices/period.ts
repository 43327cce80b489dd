/**
 * Billing periods, their names and invoice numbers.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { MONTH_PATTERN } from "../events/month.ts";

/**
 * The first and last day (ISO dates) of a calendar month. A tenant with a
 * time zone is billed for its local calendar month: the same dates, cut at
 * local midnight (the warehouse reads the usage that way).
 *
 * @example
 * ```ts
 * import { billingPeriod } from "./period.ts";
 * billingPeriod("2026-02"); // { period_start: "2026-02-01", period_end: "2026-02-28" }
 * ```
 */
export function billingPeriod(month: string): { period_start: string; period_end: string } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new UserError(`month ${JSON.stringify(month)}: expected YYYY-MM, like 2026-10`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return { period_start: `${month}-01`, period_end: `${month}-${String(days).padStart(2, "0")}` };
}

/**
 * The deterministic invoice number `{prefix}-{YYYYMM}-{tenant_id}`.
 *
 * @example
 * ```ts
 * import { invoiceNumber } from "./period.ts";
 * invoiceNumber("INV", "2026-10", "dept_a"); // "INV-202610-dept_a"
 * ```
 */
export function invoiceNumber(prefix: string, month: string, tenantId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(prefix)) {
    throw new UserError(
      `invoice prefix ${JSON.stringify(prefix)}: use 1-32 letters, digits, _ or -, like "INV"`,
    );
  }
  billingPeriod(month);
  return `${prefix}-${month.replace("-", "")}-${tenantId}`;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * A billing month's name: "October 2026" for "2026-10".
 *
 * @example
 * ```ts
 * import { monthLabel } from "./period.ts";
 * monthLabel("2026-10"); // "October 2026"
 * ```
 */
export function monthLabel(month: string): string {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new Error(`Not a month: ${JSON.stringify(month)} (expected YYYY-MM)`);
  return `${MONTH_NAMES[Number(match[2]) - 1]} ${match[1]}`;
}
