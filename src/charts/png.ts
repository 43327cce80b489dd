/**
 * Charts to PNG through headless Chromium (src/browser), scaled to fill a
 * slide (1920x1080 by default).
 *
 * @module
 */
import { Browser } from "../browser/mod.ts";
import type { Chart } from "./chart.ts";

/** Options of {@linkcode chartPng}. */
export interface ChartPngOptions {
  /** Pixel width (default 1920). */
  width?: number;
  /** Pixel height (default 1080). */
  height?: number;
  /** A running browser to reuse (default: one launched and closed for this call). */
  browser?: Browser;
}

/** An HTML page that shows one SVG scaled to fill `width` x `height`. */
export function chartPage(svg: string, width: number, height: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>` +
    `html,body{margin:0;padding:0;background:white;overflow:hidden}` +
    `body>svg{display:block;width:${width}px;height:${height}px}</style></head>` +
    `<body>${svg}</body></html>`;
}

/**
 * Renders a chart to PNG bytes; the SVG is scaled (through its viewBox) to
 * the requested size, so a 1200x675 chart fills a 1920x1080 slide.
 *
 * @example
 * ```ts ignore
 * import { chartPng, usageStackedChart } from "./mod.ts";
 * const png = await chartPng(usageStackedChart(rows));
 * await Deno.writeFile("usage.png", png);
 * ```
 */
export async function chartPng(chart: Chart, options: ChartPngOptions = {}): Promise<Uint8Array> {
  const width = options.width ?? 1920;
  const height = options.height ?? 1080;
  const html = chartPage(chart.svg, width, height);
  if (options.browser) return await options.browser.png(html, { width, height });
  const browser = await Browser.launch();
  try {
    return await browser.png(html, { width, height });
  } finally {
    await browser.close();
  }
}
