/**
 * The eta templates in templates/ (auto-escaping on): the report page and
 * the invoice, with their CSS inlined.
 *
 * @module
 */
import { Eta } from "eta";
import { fileURLToPath } from "node:url";
import type { InvoiceView, ReportView } from "./view.ts";

/** The default templates folder: templates/ at the repository root. */
export const TEMPLATES_DIR: string = fileURLToPath(new URL("../../templates/", import.meta.url));

/** Loaded templates and CSS. */
export interface Templates {
  /** CSS for the report page. */
  reportCss: string;
  /** CSS for invoices. */
  invoiceCss: string;
  report(view: ReportView): string;
  invoice(view: InvoiceView): string;
}

/**
 * Loads templates/report.eta, templates/invoice.eta and the CSS files, with
 * eta's auto-escaping on (`<%= %>` escapes, `<%~ %>` is only used for the
 * inlined CSS and chart SVG).
 *
 * @example
 * ```ts
 * import { loadTemplates } from "./templates.ts";
 * const t = await loadTemplates();
 * ```
 */
export async function loadTemplates(dir: string = TEMPLATES_DIR): Promise<Templates> {
  const read = (name: string) => Deno.readTextFile(`${dir.replace(/\/$/, "")}/${name}`);
  const [base, invoiceCss, reportSrc, invoiceSrc] = await Promise.all([
    read("base.css"),
    read("invoice.css"),
    read("report.eta"),
    read("invoice.eta"),
  ]);
  const eta = new Eta({ autoEscape: true, autoTrim: [false, "nl"], cache: false, useWith: false });
  const report = eta.compile(reportSrc);
  const invoice = eta.compile(invoiceSrc);
  return {
    reportCss: base,
    invoiceCss: `${base}\n${invoiceCss}`,
    report: (view) => collapseBlankLines(report.call(eta, view)),
    invoice: (view) => collapseBlankLines(invoice.call(eta, view)),
  };
}

function collapseBlankLines(html: string): string {
  return html.replace(/\n{3,}/g, "\n\n");
}
