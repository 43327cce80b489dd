/**
 * `deno task report [--month YYYY-MM|previous] [--out DIR] [--format html,pdf]`:
 * the monthly report, invoices and charts in `<out>/<month>/`.
 *
 * Exit codes: 0 ok; 1 user error; 2 partial output (PDFs asked for with
 * `--format pdf` but no browser found).
 *
 * @module
 */
import { type Command, parseDecimal } from "./command.ts";
import { UserError } from "../errors.ts";
import { log } from "./log.ts";
import type { ReportFormat } from "../reports/write.ts";

const FORMATS: readonly ReportFormat[] = ["html", "pdf"];

/** Parses `--format html,pdf` (comma-separated, repeatable). */
export function parseFormats(value: string | string[] | undefined): ReportFormat[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(","))
    .map((v) => v.trim().toLowerCase()).filter((v) => v !== "");
  if (parts.length === 0) throw new UserError("--format: give html, pdf or html,pdf");
  for (const p of parts) {
    if (!FORMATS.includes(p as ReportFormat)) {
      throw new UserError(`--format ${JSON.stringify(p)}: expected html, pdf or html,pdf`);
    }
  }
  // HTML (and the CSV/JSON/SVG files) is always written: PDFs are printed from it.
  return [...new Set(["html", ...parts])] as ReportFormat[];
}

/**
 * Parses `--lock-timeout MINUTES` (a number >= 0; fractions allowed) into
 * milliseconds; `undefined` when the flag is absent.
 *
 * @example
 * ```ts
 * import { parseLockTimeout } from "./report.ts";
 * parseLockTimeout("10"); // 600000
 * ```
 */
export function parseLockTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const minutes = parseDecimal(value);
  if (!(minutes >= 0 && Number.isFinite(minutes * 60_000))) {
    throw new UserError(
      `--lock-timeout ${JSON.stringify(value)}: give the minutes to wait for another run ` +
        "writing the same folder, a number >= 0 (default 30)",
    );
  }
  return minutes * 60_000;
}

/** The `report` command. */
export const command: Command = {
  name: "report",
  summary: "Write the monthly report, invoices (HTML and PDF), charts and data files",
  usage:
    "[--month YYYY-MM|previous] [--out DIR] [--format html,pdf] [--allow-open-month] [--lock-timeout MIN]",
  description: `
Writes <out>/<month>/: index.html (self-contained), report.pdf, invoices/<tenant>.html and .pdf,
invoices.json, invoices.csv, usage.csv, compare.csv, charts/*.svg and *.png, and manifest.json
(inputs and every output with its SHA-256). The folder is replaced atomically.

Default month: the latest calendar month with events in the store that has ended in UTC and in
every tenant's time zone. With no store at all (a fresh clone) the report runs on the generated
"demo" scenario and says so. A month that has not ended yet (in UTC or in any tenant's time zone)
is refused with exit code 1 unless --allow-open-month is given; the report and its invoices are
then marked "Provisional: the month has not ended", and invoices.json has "provisional": true.

PDFs and PNGs need Chromium: PUPPETEER_EXECUTABLE_PATH, else /usr/bin/chromium, chromium-browser
or google-chrome. Without one the HTML is still written; the exit code is 2 only when
--format pdf was asked for explicitly.

Runs writing into one --out folder take turns; a run that has waited --lock-timeout minutes
(default 30) for another stops with exit code 1 and writes nothing.

Exit codes: 0 ok, 1 user error, 2 partial output (PDFs skipped).`,
  options: {
    format: {
      type: "string",
      valueName: "html,pdf",
      description: "output formats (default html,pdf; html is always written)",
    },
    costs: {
      type: "string",
      valueName: "FILE",
      description: "cost-to-serve settings for margins (default: costs.json beside the plans)",
    },
    issuer: {
      type: "string",
      valueName: "FILE",
      description: 'issuer JSON {"name", "lines": [...], "terms", "due_days"} for invoices',
    },
    "allow-open-month": {
      type: "boolean",
      description: "report a month that has not ended yet, marked provisional",
    },
    "lock-timeout": {
      type: "string",
      valueName: "MIN",
      description: "minutes to wait for another run writing the same --out folder (default 30)",
    },
  },
  async run(ctx) {
    const formats = parseFormats(ctx.values.format as string | undefined);
    const lockTimeoutMs = parseLockTimeout(ctx.values["lock-timeout"] as string | undefined);
    const { runReport } = await import("../reports/report.ts");
    const { LockTimeoutError } = await import("../reports/atomic.ts");
    const { monthFlag } = await import("../invoices/open_month.ts");
    const result = await runReport({
      store: ctx.common.store,
      storeGiven: ctx.common.given.has("store"),
      plans: ctx.common.plans,
      tenants: ctx.common.tenants,
      costs: ctx.values.costs as string | undefined,
      issuer: ctx.values.issuer as string | undefined,
      out: ctx.common.out,
      month: ctx.common.month,
      monthFlag: monthFlag(ctx.common.month, ctx.now),
      formats,
      engine: ctx.common.engine,
      now: ctx.now,
      allowOpenMonth: ctx.values["allow-open-month"] === true,
      lockTimeoutMs,
      log,
    }).catch((error) => {
      if (!(error instanceof LockTimeoutError)) throw error;
      throw new UserError(`${error.message}, or give it longer with --lock-timeout MIN`);
    });
    for (const w of result.warnings) log(`warning: ${w}`);
    if (result.provisional) log(result.provisional);
    if (result.pdf === "skipped") {
      log(`PDFs and PNGs skipped: ${result.pdfSkipReason}`);
      log("The HTML report, CSV, JSON and SVG files were written.");
    }
    const pdfs = result.files.filter((f) => f.endsWith(".pdf")).length;
    console.log(
      `${result.dir}: ${result.files.length} files (${pdfs} PDFs)${
        result.demo ? " · Demo data" : ""
      }${result.provisional ? " · Provisional" : ""}`,
    );
    return result.pdf === "skipped" && formats?.includes("pdf") ? 2 : 0;
  },
};
