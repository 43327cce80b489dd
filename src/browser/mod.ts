/**
 * Headless Chromium for PDFs and PNGs: {@linkcode findChromium} finds a
 * system browser, {@linkcode Browser} runs one with a small pool of pages,
 * and {@linkcode renderPng} / {@linkcode renderPdf} are one-shot helpers.
 * A missing browser raises {@linkcode BrowserNotFoundError}.
 *
 * @example
 * ```ts
 * import { Browser } from "./mod.ts";
 * const browser = await Browser.launch();
 * try {
 *   const pdf = await browser.pdf("<h1>Hello</h1>");
 * } finally {
 *   await browser.close();
 * }
 * ```
 *
 * @module
 */
export { CHROMIUM_HINT, CHROMIUM_NAMES, CHROMIUM_PATHS, findChromium } from "./find.ts";
export { BrowserNotFoundError } from "./errors.ts";
export {
  Browser,
  CHROMIUM_ARGS,
  fixPdfDates,
  type LaunchOptions,
  type Margins,
  pageFooter,
  type PdfOptions,
  type PngOptions,
  renderPdf,
  renderPng,
} from "./browser.ts";
