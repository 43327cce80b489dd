/**
 * Writes a report folder from a {@linkcode ReportInput}: HTML, CSV, JSON,
 * SVG, and (with a browser) PDFs and PNGs, then a manifest of every file with
 * its SHA-256. The folder appears atomically.
 *
 * @module
 */
import { join } from "node:path";
import { Browser, BrowserNotFoundError } from "../browser/mod.ts";
import { invoicesCsv } from "../invoices/csv.ts";
import { minorToDecimal } from "../money/money.ts";
import { progress as makeProgress } from "../cli/log.ts";
import { writeFolderAtomically } from "./atomic.ts";
import { toCsv } from "./csv.ts";
import { sha256Hex } from "../hash.ts";
import { monthDates, monthLabel } from "./month.ts";
import { safeJoin, tenantFileStem } from "./paths.ts";
import { loadTemplates, type Templates } from "./templates.ts";
import type { ReportInput } from "./types.ts";
import { invoiceView, reportView } from "./view.ts";

/** Output formats: HTML (with CSV/JSON/SVG) is always written; `pdf` adds PDFs and PNGs. */
export type ReportFormat = "html" | "pdf";

/** Options of {@linkcode writeReport}. */
export interface WriteReportOptions {
  /** The parent output folder; the report goes to `<out>/<month>/`. */
  out: string;
  /** Formats (default both). */
  formats?: readonly ReportFormat[];
  /** A running browser to use (not closed); default: one is launched and closed. */
  browser?: Browser;
  /** Launch options when no browser is given. */
  launch?: Parameters<typeof Browser.launch>[0];
  /** Templates (default: templates/). */
  templates?: Templates;
  /** Progress lines (default on). */
  progress?: boolean;
  /** Log function for plain lines (default: stderr). */
  log?: (line: string) => void;
  /**
   * Runs once the output folder is locked for this run, before anything is
   * written into it (see `writeFolderAtomically`'s `check`): throwing leaves
   * the month's folder as it was.
   */
  check?: (target: string) => Promise<void>;
  /**
   * How long to wait for another run writing into `out` before failing
   * (default `LOCK_TIMEOUT_MS`, 30 min; see `writeFolderAtomically`).
   */
  lockTimeoutMs?: number;
}

/** What {@linkcode writeReport} did. */
export interface WriteReportResult {
  /** The report folder. */
  dir: string;
  /** Every file written, relative to `dir`, sorted (manifest.json included). */
  files: string[];
  /** Whether PDFs and PNGs were written, skipped (no browser), or not asked for. */
  pdf: "written" | "skipped" | "not requested";
  /** Why PDFs were skipped. */
  pdfSkipReason?: string;
  /** How long the parts took, in milliseconds. */
  timings: {
    /** Rendering HTML, CSV, JSON and SVG text. */
    textMs: number;
    /** Printing every PDF and PNG (they run in parallel in one browser). */
    binaryMs: number;
    /** Invoice PDFs printed. */
    invoicePdfs: number;
  };
}

/** One output file with its digest, as the manifest lists it. */
export interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
}

const encoder = new TextEncoder();

/** usage.csv: tenant_id, event_type, events, compute_units. */
export function usageCsv(rows: ReportInput["usage"]): string {
  return toCsv(
    ["tenant_id", "event_type", "events", "compute_units"],
    rows.map((r) => [r.tenant_id ?? "", r.event_type, r.events, r.compute_units]),
  );
}

/** compare.csv from the comparison (its own rows when given). */
export function compareCsv(cmp: NonNullable<ReportInput["comparison"]>): string {
  if (cmp.csvText !== undefined) return cmp.csvText;
  const rows: unknown[][] = [];
  for (const r of cmp.rows) {
    const values = cmp.plans.map((p) => r.totals[p]).filter((v): v is number => v !== undefined);
    const best = values.length ? Math.min(...values) : null;
    for (const plan of cmp.plans) {
      const v = r.totals[plan];
      if (v === undefined) continue;
      rows.push([
        r.tenant_id,
        r.current_plan,
        plan,
        cmp.currency,
        minorToDecimal(v, cmp.currency),
        plan === r.current_plan,
        v === best,
      ]);
    }
  }
  return toCsv(
    ["tenant_id", "current_plan", "plan", "currency", "total", "is_current", "is_cheapest"],
    rows,
  );
}

/** Stable JSON: two-space indent, trailing newline. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

function svgSize(svg: string, fallback: { width: number; height: number }) {
  const w = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg);
  const h = /<svg[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  return {
    width: w ? Math.round(Number(w[1])) : fallback.width,
    height: h ? Math.round(Number(h[1])) : fallback.height,
  };
}

/**
 * Writes `<out>/<month>/` atomically: index.html, usage.csv, invoices.json,
 * invoices.csv, invoices/<tenant>.html, compare.csv, charts/*.svg, and with a
 * browser report.pdf, invoices/<tenant>.pdf and charts/*.png; manifest.json
 * last. Without a browser the PDFs are skipped (`result.pdf === "skipped"`).
 *
 * @example
 * ```ts ignore
 * import { writeReport } from "./write.ts";
 * const result = await writeReport(input, { out: "reports", formats: ["html"] });
 * ```
 */
export async function writeReport(
  input: ReportInput,
  options: WriteReportOptions,
): Promise<WriteReportResult> {
  const formats = new Set(options.formats ?? ["html", "pdf"]);
  const log = options.log ?? ((line: string) => console.error(line));
  const templates = options.templates ?? await loadTemplates();
  if (!/^\d{4}-\d{2}$/.test(input.month)) throw new Error(`Bad report month ${input.month}`);
  const target = safeJoin(options.out, input.month);
  const label = monthLabel(input.month);
  const dates = monthDates(input.month, { dueDays: input.issuer.due_days });

  // Render every text output first (pure), then write.
  const t0 = performance.now();
  const texts = new Map<string, string>();
  const view = reportView(input, { css: templates.reportCss });
  const reportHtml = templates.report(view);
  texts.set("index.html", reportHtml);
  texts.set("usage.csv", usageCsv(input.usage));
  const invoiceHtml = new Map<string, { html: string; number: string }>();
  if (input.invoices) {
    texts.set(
      "invoices.json",
      input.invoiceFiles?.json ?? stableJson({ month: input.month, invoices: input.invoices }),
    );
    texts.set(
      "invoices.csv",
      input.invoiceFiles?.csv ?? invoicesCsv(input.invoices),
    );
    for (const inv of input.invoices) {
      const stem = tenantFileStem(inv.tenant_id);
      const html = templates.invoice(invoiceView(inv, {
        css: templates.invoiceCss,
        demo: input.demo,
        provisional: input.provisional,
        month: input.month,
        tenant: Object.hasOwn(input.tenants, inv.tenant_id)
          ? input.tenants[inv.tenant_id]
          : undefined,
        issuer: input.issuer,
        planName: input.planNames?.[inv.plan],
      }));
      invoiceHtml.set(stem, { html, number: inv.number });
      texts.set(`invoices/${stem}.html`, html);
    }
  }
  if (input.comparison) {
    texts.set("compare.csv", compareCsv(input.comparison));
    if (input.comparison.jsonText !== undefined) {
      texts.set("compare.json", input.comparison.jsonText);
    }
  }
  for (const chart of input.charts) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(chart.name)) {
      throw new Error(`Bad chart name ${JSON.stringify(chart.name)}`);
    }
    texts.set(`charts/${chart.name}.svg`, chart.svg.endsWith("\n") ? chart.svg : chart.svg + "\n");
  }

  const textMs = performance.now() - t0;
  return await writeFolderAtomically(target, async (tmp) => {
    let binaryMs = 0;
    const written = new Map<string, Uint8Array>();
    const put = async (rel: string, data: string | Uint8Array) => {
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      const path = safeJoin(tmp, ...rel.split("/"));
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeFile(path, bytes);
      written.set(rel, bytes);
    };
    for (const [rel, text] of texts) await put(rel, text);

    let pdf: WriteReportResult["pdf"] = formats.has("pdf") ? "written" : "not requested";
    let pdfSkipReason: string | undefined;
    if (formats.has("pdf")) {
      let browser = options.browser;
      let own = false;
      if (!browser) {
        try {
          browser = await Browser.launch({ pages: 4, ...options.launch });
          own = true;
        } catch (error) {
          if (!(error instanceof BrowserNotFoundError)) throw error;
          pdf = "skipped";
          pdfSkipReason = error.message;
        }
      }
      if (browser) {
        const t1 = performance.now();
        try {
          await renderBinaries(browser, {
            input,
            label,
            reportHtml,
            invoiceHtml,
            issueDate: new Date(`${dates.issueDate}T00:00:00Z`),
            put,
            progress: options.progress ?? true,
            log,
          });
          binaryMs = performance.now() - t1;
        } finally {
          if (own) await browser.close();
        }
      }
    }

    const entries: ManifestEntry[] = [];
    for (const rel of [...written.keys()].sort()) {
      const bytes = written.get(rel)!;
      entries.push({ path: rel, sha256: await sha256Hex(bytes), bytes: bytes.length });
    }
    const manifest = {
      meterbook: input.version,
      month: input.month,
      demo: input.demo !== null,
      ...(input.provisional ? { provisional: true } : {}),
      inputs: input.inputs,
      pdf,
      outputs: entries,
    };
    await put("manifest.json", stableJson(manifest));
    return {
      dir: target,
      files: [...written.keys()].sort(),
      pdf,
      pdfSkipReason,
      timings: {
        textMs,
        binaryMs,
        invoicePdfs: pdf === "written" ? invoiceHtml.size : 0,
      },
    };
  }, { log, check: options.check, lockTimeoutMs: options.lockTimeoutMs });
}

async function renderBinaries(
  browser: Browser,
  ctx: {
    input: ReportInput;
    label: string;
    reportHtml: string;
    invoiceHtml: Map<string, { html: string; number: string }>;
    issueDate: Date;
    put: (rel: string, data: Uint8Array) => Promise<void>;
    progress: boolean;
    log: (line: string) => void;
  },
): Promise<void> {
  const total = ctx.invoiceHtml.size + 1 + ctx.input.charts.length;
  const bar = ctx.progress ? makeProgress("PDFs and PNGs rendered") : null;
  let done = 0;
  const tick = () => bar?.update(++done, total);
  const jobs: Promise<void>[] = [];
  jobs.push((async () => {
    // The page footer ("... Page N of M") is in the page's own CSS (@page
    // margin boxes): faster than Chromium's header and footer templates.
    const bytes = await browser.pdf(ctx.reportHtml, { date: ctx.issueDate, headerFooter: false });
    await ctx.put("report.pdf", bytes);
    tick();
  })());
  for (const chart of ctx.input.charts) {
    jobs.push((async () => {
      const size = svgSize(chart.svg, { width: chart.width ?? 1200, height: chart.height ?? 675 });
      const bytes = await browser.png(chart.svg, { ...size, scale: 1920 / size.width });
      await ctx.put(`charts/${chart.name}.png`, bytes);
      tick();
    })());
  }
  for (const [stem, { html }] of ctx.invoiceHtml) {
    jobs.push((async () => {
      const bytes = await browser.pdf(html, { date: ctx.issueDate, headerFooter: false });
      await ctx.put(`invoices/${stem}.pdf`, bytes);
      tick();
    })());
  }
  const results = await Promise.allSettled(jobs);
  bar?.done();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
