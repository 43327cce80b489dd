/**
 * `invoices.csv`: one row per invoice line, with a header, RFC 4180 quoting
 * and CRLF line ends, so that it opens cleanly in a spreadsheet.
 *
 * @module
 */
import { minorToDecimal } from "../money/money.ts";
import type { Invoice } from "./types.ts";

/** The columns of `invoices.csv`. */
export const INVOICE_CSV_COLUMNS = [
  "invoice_number",
  "tenant_id",
  "plan",
  "currency",
  "period_start",
  "period_end",
  "line",
  "description",
  "quantity",
  "unit_price",
  "amount_minor",
  "amount",
] as const;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF,
 * with quotes doubled. Text that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`) is prefixed with `'` when `text` is set.
 *
 * @example
 * ```ts
 * import { csvField } from "./csv.ts";
 * csvField('Fee, "monthly"'); // '"Fee, ""monthly"""'
 * ```
 */
export function csvField(value: string | number, options: { text?: boolean } = {}): string {
  let s = String(value);
  if (options.text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The CSV text of invoices: a header, then one row per line; `amount` is the
 * line's amount in major units (`1234.56`).
 *
 * @example
 * ```ts
 * import { invoicesCsv } from "./csv.ts";
 * const csv = invoicesCsv([]);
 * csv.split("\r\n")[0].startsWith("invoice_number,tenant_id"); // true
 * ```
 */
export function invoicesCsv(invoices: readonly Invoice[]): string {
  const rows = [INVOICE_CSV_COLUMNS.join(",")];
  for (const invoice of invoices) {
    invoice.lines.forEach((line, i) => {
      rows.push(
        [
          csvField(invoice.number),
          csvField(invoice.tenant_id),
          csvField(invoice.plan),
          csvField(invoice.currency),
          csvField(invoice.period_start),
          csvField(invoice.period_end),
          csvField(i + 1),
          csvField(line.description, { text: true }),
          csvField(line.quantity),
          csvField(line.unit_price),
          csvField(line.amount_minor),
          csvField(minorToDecimal(line.amount_minor, invoice.currency)),
        ].join(","),
      );
    });
  }
  return rows.join("\r\n") + "\r\n";
}
