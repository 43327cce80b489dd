/**
 * A small displayable table for notebooks: rows of plain objects rendered
 * as an HTML table (Jupyter's rich display) with a plain-text fallback.
 * Text cells are left-aligned, numbers and number-like text (`1,234.56`,
 * `$500.00`, `-12%`) right-aligned.
 *
 * @module
 */
import { escapeXml, formatNumber, JUPYTER_DISPLAY } from "./chart.ts";

/** A table that displays inline in Jupyter (HTML) and prints as text. */
export interface HtmlTable {
  /** The caption, if any. */
  readonly title?: string;
  /** Column names, in order. */
  readonly columns: readonly string[];
  /** The cells as displayed text, one array per row. */
  readonly cells: readonly (readonly string[])[];
  /** A standalone `<table>` element. */
  readonly html: string;
  /** The same table as aligned plain text. */
  readonly text: string;
  /** Jupyter's rich display hook (Deno kernel). */
  [JUPYTER_DISPLAY](): { "text/html": string; "text/plain": string };
  /** The plain text. */
  toString(): string;
}

/** Options of {@linkcode htmlTable}. */
export interface HtmlTableOptions {
  /** A caption above the table. */
  title?: string;
  /** The columns to show, in order (default: every key of the rows, in first-seen order). */
  columns?: readonly string[];
  /** Most decimals shown for (non-integer) numbers (default 4). */
  digits?: number;
}

const NUMBER_LIKE = /^[-+(]?[$€£¥]?[-+]?\d[\d,]*(\.\d+)?%?\)?$/;

function cellText(value: unknown, digits: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    return Number.isFinite(value) ? formatNumber(value, digits) : String(value);
  }
  if (typeof value === "bigint") return value.toLocaleString("en-US");
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Renders rows of plain objects as a table that displays inline in Jupyter.
 * Values are shown as they are (strings untouched; numbers with thousands
 * separators and at most `digits` decimals; null as empty): format money
 * before, e.g. with `formatMoney`.
 *
 * @example
 * ```ts
 * import { htmlTable } from "./table.ts";
 * const table = htmlTable([
 *   { tenant: "dept_a", invoices: 1, total: "$503.08" },
 *   { tenant: "dept_b", invoices: 1, total: "$504.39" },
 * ], { title: "Totals" });
 * table.html.startsWith("<table"); // true
 * String(table).split("\n")[0]; // "tenant  invoices    total"
 * ```
 */
export function htmlTable(
  rows: readonly Record<string, unknown>[],
  options: HtmlTableOptions = {},
): HtmlTable {
  const digits = options.digits ?? 4;
  const columns: string[] = options.columns ? [...options.columns] : [];
  if (!options.columns) {
    for (const row of rows) {
      for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
    }
  }
  const cells = rows.map((row) => columns.map((c) => cellText(row[c], digits)));
  const right = columns.map((_, i) =>
    cells.some((r) => r[i] !== "") &&
    cells.every((r) => r[i] === "" || NUMBER_LIKE.test(r[i]))
  );
  const align = (i: number) => (right[i] ? "right" : "left");
  const th = columns.map((c, i) =>
    `<th style="text-align:${align(i)};padding:2px 10px">${escapeXml(c)}</th>`
  ).join("");
  const body = cells.map((r) =>
    `<tr>${
      r.map((cell, i) =>
        `<td style="text-align:${align(i)};padding:2px 10px;font-variant-numeric:tabular-nums">${
          escapeXml(cell)
        }</td>`
      ).join("")
    }</tr>`
  ).join("");
  const caption = options.title
    ? `<caption style="text-align:left;font-weight:600;padding:4px 0">${
      escapeXml(options.title)
    }</caption>`
    : "";
  const html =
    `<table style="border-collapse:collapse">${caption}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;

  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (r: readonly string[]) =>
    r.map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ")
      .trimEnd();
  const text = [
    ...(options.title ? [options.title] : []),
    line(columns),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.map(line),
  ].join("\n");

  return {
    title: options.title,
    columns,
    cells,
    html,
    text,
    [JUPYTER_DISPLAY]() {
      return { "text/html": html, "text/plain": text };
    },
    toString() {
      return text;
    },
  };
}
