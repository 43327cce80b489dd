/**
 * One headless Chromium (puppeteer-core) with a small pool of pages, for PDFs
 * and PNGs rendered from self-contained HTML.
 *
 * @module
 */
import puppeteer from "puppeteer-core";
import type { Browser as PuppeteerBrowser, Page } from "puppeteer-core";
import { BrowserNotFoundError } from "./errors.ts";
import { findChromium } from "./find.ts";

/** The flags Chromium is started with (plus a fresh `--user-data-dir`). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
  "--font-render-hinting=none",
] as const;

/** Options of {@linkcode Browser.launch}. */
export interface LaunchOptions {
  /** The executable; default {@linkcode findChromium}(env). */
  executablePath?: string;
  /** The environment `findChromium` reads; default the process environment. */
  env?: Record<string, string | undefined>;
  /** How many pages render at once (default 4). */
  pages?: number;
  /** Extra Chromium flags. */
  args?: string[];
  /** Milliseconds to wait for Chromium to start (default 30000). */
  timeout?: number;
}

/** Page margins as CSS lengths. */
export interface Margins {
  top: string;
  right: string;
  bottom: string;
  left: string;
}

/** Options of {@linkcode Browser.pdf}. */
export interface PdfOptions {
  /** Paper format (default "A4"). */
  format?: "A4" | "Letter" | "A3" | "Legal";
  landscape?: boolean;
  /** Default 18mm top/bottom (room for header and footer), 14mm left/right. */
  margin?: Partial<Margins>;
  /**
   * HTML for the running header (Chromium's template classes: `pageNumber`,
   * `totalPages`, `title`). Default: empty. Never put `date` in it if the PDF
   * must be reproducible.
   */
  headerTemplate?: string;
  /** HTML for the running footer; default {@linkcode pageFooter}(). */
  footerTemplate?: string;
  /**
   * Set false to leave header and footer to the page's CSS (`@page` margin
   * boxes, e.g. `@bottom-right { content: "Page " counter(page) " of "
   * counter(pages) }`: faster). Default true.
   */
  headerFooter?: boolean;
  /** Whether the page's CSS `@page` size wins over `format` (default true). */
  preferCSSPageSize?: boolean;
  /**
   * The date written as the PDF's CreationDate and ModDate (default
   * 2000-01-01T00:00:00Z), so that the same HTML gives the same bytes.
   */
  date?: Date;
  /** Document outline from headings (default false). */
  outline?: boolean;
  /** Milliseconds before giving up on one PDF (default 60000). */
  timeout?: number;
}

/** Options of {@linkcode Browser.png}. */
export interface PngOptions {
  /** Viewport width in CSS pixels. */
  width: number;
  /** Viewport height in CSS pixels. */
  height: number;
  /** Device scale factor (default 1). */
  scale?: number;
  /** Transparent background instead of white (default false). */
  transparent?: boolean;
}

/**
 * The default running footer: `left` text on the left and "Page N of M" on
 * the right, in 8pt grey. `left` is escaped.
 *
 * @example
 * ```ts
 * import { pageFooter } from "./browser.ts";
 * const footer = pageFooter("Invoice MB-202610-dept_a");
 * ```
 */
export function pageFooter(left = ""): string {
  return `<div style="font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 8pt; color: #555;` +
    ` width: 100%; margin: 0 14mm; display: flex; justify-content: space-between;">` +
    `<span>${escapeHtml(left)}</span>` +
    `<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

/** Wraps a bare `<svg>` (or any fragment) in a minimal page with no margins. */
export function svgPage(svg: string): string {
  if (/^\s*(<!doctype|<html)/i.test(svg)) return svg;
  return `<!doctype html><html><head><meta charset="utf-8"><style>` +
    `html,body{margin:0;padding:0;background:#fff}svg{display:block}</style></head>` +
    `<body>${svg}</body></html>`;
}

const EMPTY_HEADER = "<span></span>";
const PDF_DATE = /\/(CreationDate|ModDate) \(D:\d{14}[^)]{0,8}\)/g;

function pdfDate(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `D:${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}` +
    `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+00'00'`;
}

/**
 * Rewrites the PDF's CreationDate and ModDate in place to `date`. The new
 * value has exactly the length of Chromium's, so the cross-reference offsets
 * stay valid.
 */
export function fixPdfDates(pdf: Uint8Array, date: Date): Uint8Array {
  // One char per byte (true latin1), so string offsets are byte offsets.
  let text = "";
  for (let i = 0; i < pdf.length; i += 8192) {
    text += String.fromCharCode(...pdf.subarray(i, i + 8192));
  }
  const stamp = pdfDate(date);
  let out: Uint8Array | null = null;
  for (const match of text.matchAll(PDF_DATE)) {
    const replacement = `/${match[1]} (${stamp})`;
    if (replacement.length !== match[0].length) continue;
    out ??= pdf.slice();
    for (let i = 0; i < replacement.length; i++) {
      out[match.index + i] = replacement.charCodeAt(i);
    }
  }
  return out ?? pdf;
}

interface Viewport {
  width: number;
  height: number;
  deviceScaleFactor: number;
}

const PDF_VIEWPORT: Viewport = { width: 1280, height: 800, deviceScaleFactor: 1 };
const viewports = new WeakMap<Page, string>();

async function setViewportOnce(page: Page, viewport: Viewport): Promise<void> {
  const key = `${viewport.width}x${viewport.height}@${viewport.deviceScaleFactor}`;
  if (viewports.get(page) === key) return;
  await page.setViewport(viewport);
  viewports.set(page, key);
}

/** A tiny semaphore-backed pool of puppeteer pages. */
class PagePool {
  #free: Page[] = [];
  #waiting: Array<(page: Page) => void> = [];
  #created = 0;

  constructor(readonly browser: PuppeteerBrowser, readonly size: number) {}

  async acquire(): Promise<Page> {
    const page = this.#free.pop();
    if (page) return page;
    if (this.#created < this.size) {
      this.#created++;
      try {
        const fresh = await this.browser.newPage();
        // Self-contained HTML only: refuse every network request.
        await fresh.setRequestInterception(true);
        fresh.on("request", (request) => {
          const url = request.url();
          if (url.startsWith("data:") || url.startsWith("about:")) {
            request.continue().catch(() => {});
          } else {
            request.abort("blockedbyclient").catch(() => {});
          }
        });
        return fresh;
      } catch (error) {
        this.#created--;
        throw error;
      }
    }
    return await new Promise<Page>((resolve) => this.#waiting.push(resolve));
  }

  release(page: Page, broken = false): void {
    if (broken) {
      this.#created--;
      page.close().catch(() => {});
      // A waiter gets a fresh page on its own next acquire.
      const next = this.#waiting.shift();
      if (next) this.acquire().then(next, () => this.#waiting.unshift(next));
      return;
    }
    const next = this.#waiting.shift();
    if (next) next(page);
    else this.#free.push(page);
  }
}

/**
 * A headless Chromium with a pool of pages. Launch once, render many PDFs and
 * PNGs in parallel (`Promise.all` over {@linkcode Browser.pdf} calls uses up
 * to `pages` tabs at once), then {@linkcode Browser.close}.
 *
 * @example
 * ```ts
 * import { Browser } from "./browser.ts";
 * const browser = await Browser.launch();
 * try {
 *   const pdf = await browser.pdf("<h1>Invoice</h1>");
 *   const png = await browser.png("<svg width='10' height='10'></svg>", { width: 10, height: 10 });
 * } finally {
 *   await browser.close();
 * }
 * ```
 */
export class Browser {
  #browser: PuppeteerBrowser;
  #pool: PagePool;
  #userDataDir: string;
  #closed = false;

  /** The executable this browser runs. */
  readonly executablePath: string;

  private constructor(
    browser: PuppeteerBrowser,
    userDataDir: string,
    pages: number,
    executablePath: string,
  ) {
    this.#browser = browser;
    this.#userDataDir = userDataDir;
    this.#pool = new PagePool(browser, pages);
    this.executablePath = executablePath;
  }

  /**
   * Starts Chromium with a fresh temporary profile (removed on close).
   * Throws {@linkcode BrowserNotFoundError} when there is no browser or it
   * does not start.
   */
  static async launch(options: LaunchOptions = {}): Promise<Browser> {
    const executablePath = options.executablePath ?? findChromium(options.env);
    if (executablePath === null) throw new BrowserNotFoundError();
    const userDataDir = await Deno.makeTempDir({ prefix: "meterbook-chromium-" });
    let browser: PuppeteerBrowser;
    try {
      browser = await puppeteer.launch({
        executablePath,
        headless: true,
        pipe: true,
        userDataDir,
        timeout: options.timeout ?? 30_000,
        args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
      });
    } catch (error) {
      await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new BrowserNotFoundError(
        `Cannot start the browser at ${JSON.stringify(executablePath)} (${reason})`,
        { cause: error },
      );
    }
    return new Browser(browser, userDataDir, Math.max(1, options.pages ?? 4), executablePath);
  }

  async #withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error("Browser.pdf/png: the browser is already closed");
    const page = await this.#pool.acquire();
    let broken = false;
    try {
      return await work(page);
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      this.#pool.release(page, broken);
    }
  }

  /**
   * Prints self-contained HTML to PDF: A4 by default, the page's `@page`
   * size and margins winning when set, "Page N of M" in the footer, fonts
   * loaded first, and fixed metadata dates so the same HTML gives the same
   * bytes.
   */
  pdf(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
    return this.#withPage(async (page) => {
      // The same viewport for every PDF: a page last used for a scaled PNG
      // would otherwise lay text out a pixel apart.
      await setViewportOnce(page, PDF_VIEWPORT);
      await page.setContent(html, { waitUntil: "load", timeout: options.timeout ?? 60_000 });
      // page.pdf waits for web fonts itself (waitForFonts).
      const headerFooter = options.headerFooter ?? true;
      const pdf = await page.pdf({
        format: options.format ?? "A4",
        landscape: options.landscape ?? false,
        printBackground: true,
        preferCSSPageSize: options.preferCSSPageSize ?? true,
        displayHeaderFooter: headerFooter,
        headerTemplate: headerFooter ? options.headerTemplate ?? EMPTY_HEADER : undefined,
        footerTemplate: headerFooter ? options.footerTemplate ?? pageFooter() : undefined,
        // Without Chromium's header and footer, the page's CSS (@page margin
        // and margin boxes) decides unless margins are given.
        margin: headerFooter || options.margin
          ? {
            top: options.margin?.top ?? "18mm",
            right: options.margin?.right ?? "14mm",
            bottom: options.margin?.bottom ?? "18mm",
            left: options.margin?.left ?? "14mm",
          }
          : undefined,
        outline: options.outline ?? false,
        // Tagged PDFs carry DOM node ids that grow with every document a
        // page has shown: untagged output is the same bytes every time.
        tagged: false,
        waitForFonts: true,
        timeout: options.timeout ?? 60_000,
      });
      return fixPdfDates(pdf, options.date ?? new Date(Date.UTC(2000, 0, 1)));
    });
  }

  /**
   * Screenshots HTML (or a bare `<svg>`, wrapped in a blank page) at
   * `width` x `height` CSS pixels times `scale`.
   */
  png(html: string, options: PngOptions): Promise<Uint8Array> {
    return this.#withPage(async (page) => {
      await setViewportOnce(page, {
        width: Math.round(options.width),
        height: Math.round(options.height),
        deviceScaleFactor: options.scale ?? 1,
      });
      await page.setContent(svgPage(html), { waitUntil: "load" });
      await page.evaluate("document.fonts.ready.then(() => true)");
      const png = await page.screenshot({
        type: "png",
        omitBackground: options.transparent ?? false,
        clip: { x: 0, y: 0, width: options.width, height: options.height },
      });
      return new Uint8Array(png);
    });
  }

  /** Closes Chromium and removes its temporary profile. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#browser.close();
    } finally {
      await Deno.remove(this.#userDataDir, { recursive: true }).catch(() => {});
    }
  }

  /** Supports `await using browser = await Browser.launch()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Renders one PNG: with `options.browser` when given, else in a browser of its
 * own that is closed afterwards. For charts: `renderPng(chart.svg, { width:
 * 1920, height: 1080 })`.
 *
 * @example
 * ```ts
 * import { renderPng } from "./browser.ts";
 * const png = await renderPng("<svg xmlns='http://www.w3.org/2000/svg' width='640' height='400'></svg>",
 *   { width: 640, height: 400 });
 * ```
 */
export async function renderPng(
  svgOrHtml: string,
  options: PngOptions & { browser?: Browser },
): Promise<Uint8Array> {
  if (options.browser) return await options.browser.png(svgOrHtml, options);
  const browser = await Browser.launch({ pages: 1 });
  try {
    return await browser.png(svgOrHtml, options);
  } finally {
    await browser.close();
  }
}

/**
 * Renders one PDF: with `options.browser` when given, else in a browser of its
 * own that is closed afterwards.
 *
 * @example
 * ```ts
 * import { renderPdf } from "./browser.ts";
 * const pdf = await renderPdf("<h1>Hello</h1>");
 * ```
 */
export async function renderPdf(
  html: string,
  options: PdfOptions & { browser?: Browser } = {},
): Promise<Uint8Array> {
  if (options.browser) return await options.browser.pdf(html, options);
  const browser = await Browser.launch({ pages: 1 });
  try {
    return await browser.pdf(html, options);
  } finally {
    await browser.close();
  }
}
