/**
 * A small RFC 4180 CSV writer (CRLF-free: `\n` line ends, a trailing newline).
 *
 * @module
 */

/** One CSV cell: quoted when it holds a comma, quote, CR or LF; formula-leading text is prefixed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  // Spreadsheet formula injection: a leading =, +, -, @ on a non-number.
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes rows as CSV with a header line.
 *
 * @example
 * ```ts
 * import { toCsv } from "./csv.ts";
 * toCsv(["tenant_id", "events"], [["dept_a", 3]]); // "tenant_id,events\ndept_a,3\n"
 * ```
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return lines.join("\n") + "\n";
}
