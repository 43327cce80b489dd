/**
 * The {@linkcode Chart} object every chart function returns, and the frame
 * around a Plot figure: a standalone SVG (xmlns, width, height, viewBox) with
 * a title, an optional subtitle and a swatch legend drawn as SVG, so that the
 * file opens on its own, inlines in HTML and renders to PNG alike.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** `Symbol.for("Jupyter.display")`: the Deno Jupyter kernel's rich display hook. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A rendered chart: SVG text that displays inline in Jupyter. */
export interface Chart {
  /** The chart's title (also drawn in the SVG). */
  readonly title: string;
  /** A standalone SVG document (with xmlns, width, height and viewBox). */
  readonly svg: string;
  /** Jupyter's rich display hook (Deno kernel). */
  [JUPYTER_DISPLAY](): { "image/svg+xml": string };
  /** The SVG text. */
  toString(): string;
}

/** Size options every chart accepts. */
export interface ChartSizeOptions {
  /** Width in CSS pixels (default 1200; 16:9 with the default height). */
  width?: number;
  /** Height in CSS pixels (default 675). */
  height?: number;
  /** Base font size in pixels (default 16; titles are 1.5x). */
  fontSize?: number;
}

/** One legend entry. */
export interface LegendEntry {
  label: string;
  color: string;
  /** "rect" (default) for bars and areas, "line" for lines, "dot" for dots. */
  shape?: "rect" | "line" | "dot";
}

/** Frame options: what goes around the Plot figure. */
export interface FrameOptions extends ChartSizeOptions {
  title: string;
  subtitle?: string;
  legend?: { label: string; entries: LegendEntry[] };
  /** A one-line footnote under the plot (e.g. a definition). */
  note?: string;
}

/** Resolved sizes for a chart body. */
export interface Layout {
  width: number;
  height: number;
  fontSize: number;
  /** The height left for the Plot figure. */
  plotHeight: number;
  /** The y offset of the Plot figure. */
  plotTop: number;
}

const DEFAULT_WIDTH = 1200;
const DEFAULT_HEIGHT = 675;
const DEFAULT_FONT = 16;

/** Escapes text for SVG/XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** Computes where the Plot figure goes inside the frame. */
export function layout(options: FrameOptions): Layout {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const fontSize = options.fontSize ?? DEFAULT_FONT;
  let top = Math.round(fontSize * 2.4); // title
  if (options.subtitle) top += Math.round(fontSize * 1.4);
  if (options.legend && options.legend.entries.length > 0) {
    top += legendRows(options.legend, width, fontSize).length * Math.round(fontSize * 1.6) +
      Math.round(fontSize * 0.4);
  }
  const bottom = options.note ? Math.round(fontSize * 1.8) : 0;
  return { width, height, fontSize, plotTop: top, plotHeight: height - top - bottom };
}

function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

function legendRows(
  legend: { label: string; entries: LegendEntry[] },
  width: number,
  fontSize: number,
): { x: number; entry: LegendEntry | null }[][] {
  const rows: { x: number; entry: LegendEntry | null }[][] = [[]];
  const left = fontSize;
  let x = left;
  rows[0].push({ x, entry: null });
  x += textWidth(legend.label, fontSize) + fontSize;
  for (const entry of legend.entries) {
    const w = fontSize * 1.4 + textWidth(entry.label, fontSize) + fontSize * 1.2;
    if (x + w > width - fontSize && rows[rows.length - 1].length > 0) {
      rows.push([]);
      x = left + textWidth(legend.label, fontSize) + fontSize;
    }
    rows[rows.length - 1].push({ x: Math.round(x * 10) / 10, entry });
    x += w;
  }
  return rows;
}

function swatch(entry: LegendEntry, x: number, y: number, fs: number): string {
  const c = escapeXml(entry.color);
  const s = Math.round(fs * 0.9);
  switch (entry.shape) {
    case "line":
      return `<line x1="${x}" x2="${x + s}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="3"/>`;
    case "dot":
      return `<circle cx="${x + s / 2}" cy="${y}" r="${s / 2}" fill="${c}"/>`;
    default:
      return `<rect x="${x}" y="${y - s / 2}" width="${s}" height="${s}" fill="${c}"/>`;
  }
}

/** The few DOM members used here (Deno has no DOM lib types). */
interface DomElement {
  tagName: string;
  outerHTML: string;
  querySelector(selector: string): DomElement | null;
  setAttribute(name: string, value: string): void;
}

/** A scale of a rendered figure: data value to pixels. */
export interface PixelScale {
  apply(value: unknown): number;
}

/**
 * Markup drawn over a figure, in its pixel coordinates: gets the figure's
 * scales (`scale("x").apply(v)`) and returns SVG elements as text.
 */
export type Overlay = (scale: (name: "x" | "y") => PixelScale) => string;

/**
 * Renders a Plot figure with a linkedom document and returns its SVG element's
 * markup, with `overlay` (if any) appended inside it. Plot's process-wide
 * clip-path ids are renumbered per figure so the output does not depend on
 * what was drawn before.
 */
export function renderPlot(options: Plot.PlotOptions, fontSize: number, overlay?: Overlay): string {
  const { document } = parseHTML("<html><body></body></html>") as unknown as {
    document: Plot.PlotOptions["document"];
  };
  const figure = Plot.plot({ ...options, document });
  const node = figure as unknown as DomElement;
  const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg");
  if (!svg) throw new Error("Plot.plot returned no <svg> (a legend or caption was requested?)");
  svg.setAttribute("font-size", String(fontSize));
  const ids = new Map<string, string>();
  let markup = svg.outerHTML.replace(/plot-clip-\d+/g, (id: string) => {
    if (!ids.has(id)) ids.set(id, `clip-${ids.size + 1}`);
    return ids.get(id)!;
  });
  if (overlay) {
    const extra = overlay((name) => figure.scale(name) as unknown as PixelScale);
    markup = markup.replace(/<\/svg>$/, `${extra}</svg>`);
  }
  return markup;
}

/**
 * Wraps a Plot figure (SVG markup from {@linkcode renderPlot}, sized
 * `layout.width` x `layout.plotHeight`) in a standalone SVG with the title,
 * subtitle, legend and note, and returns the {@linkcode Chart}.
 *
 * @example
 * ```ts
 * import { frame, layout, renderPlot } from "./chart.ts";
 * import * as Plot from "@observablehq/plot";
 * const opts = { title: "Example" };
 * const l = layout(opts);
 * const body = renderPlot({ width: l.width, height: l.plotHeight, marks: [Plot.dot([[1, 2]])] }, l.fontSize);
 * const chart = frame(body, opts);
 * chart.svg.startsWith("<svg xmlns"); // true
 * ```
 */
export function frame(plotSvg: string, options: FrameOptions): Chart {
  const l = layout(options);
  const { width, height, fontSize: fs } = l;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" font-size="${fs}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${fs}" y="${Math.round(fs * 1.7)}" font-size="${
      Math.round(fs * 1.5)
    }" font-weight="600" fill="#222">${escapeXml(options.title)}</text>`,
  );
  let y = Math.round(fs * 2.4);
  if (options.subtitle) {
    parts.push(
      `<text x="${fs}" y="${y + Math.round(fs * 0.9)}" fill="#555">${
        escapeXml(options.subtitle)
      }</text>`,
    );
    y += Math.round(fs * 1.4);
  }
  if (options.legend && options.legend.entries.length > 0) {
    const rows = legendRows(options.legend, width, fs);
    for (const row of rows) {
      const cy = y + Math.round(fs * 0.8);
      for (const { x, entry } of row) {
        if (entry === null) {
          parts.push(
            `<text x="${x}" y="${cy}" dy="0.35em" font-weight="600" fill="#222">${
              escapeXml(options.legend.label)
            }</text>`,
          );
        } else {
          parts.push(swatch(entry, x, cy, fs));
          parts.push(
            `<text x="${Math.round((x + fs * 1.4) * 10) / 10}" y="${cy}" dy="0.35em" fill="#222">${
              escapeXml(entry.label)
            }</text>`,
          );
        }
      }
      y += Math.round(fs * 1.6);
    }
  }
  const inner = plotSvg.replace(/^<svg /, `<svg x="0" y="${l.plotTop}" `);
  parts.push(inner);
  if (options.note) {
    parts.push(
      `<text x="${fs}" y="${height - Math.round(fs * 0.6)}" font-size="${
        Math.round(fs * 0.85)
      }" fill="#555">${escapeXml(options.note)}</text>`,
    );
  }
  parts.push(`</svg>`);
  return makeChart(options.title, parts.join(""));
}

/**
 * Wraps SVG text in a {@linkcode Chart} object.
 *
 * @example
 * ```ts
 * import { makeChart } from "./chart.ts";
 * const c = makeChart("Empty", '<svg xmlns="http://www.w3.org/2000/svg"/>');
 * String(c); // the SVG
 * ```
 */
export function makeChart(title: string, svg: string): Chart {
  return {
    title,
    svg,
    [JUPYTER_DISPLAY]() {
      return { "image/svg+xml": svg };
    },
    toString() {
      return svg;
    },
  };
}

/**
 * Normalises SVG text for golden tests: rounds every decimal number to 2
 * places (like Plot's own tests) so float noise does not break snapshots.
 *
 * @example
 * ```ts
 * import { normalizeSvg } from "./chart.ts";
 * normalizeSvg('<line y1="95.00000000000001"/>'); // '<line y1="95"/>'
 * ```
 */
export function normalizeSvg(svg: string): string {
  return svg.replace(/\d+\.\d+(e[+-]\d+)?/g, (d) => String(+(+d).toFixed(2)));
}

/**
 * Moves label positions (pixels) apart so that neighbours are at least
 * `spacing` apart, keeping their order and staying close to where they were.
 * Returns the new positions in the input order.
 *
 * @example
 * ```ts
 * import { spreadVertically } from "./chart.ts";
 * spreadVertically([100, 101, 300], 20); // [90.5, 110.5, 300]
 * ```
 */
export function spreadVertically(positions: readonly number[], spacing: number): number[] {
  const order = positions.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  // Clusters of overlapping labels, each centred on the mean of its members.
  const clusters: { start: number; members: number[] }[] = [];
  for (const { p, i } of order) {
    clusters.push({ start: p, members: [i] });
    for (;;) {
      const n = clusters.length;
      if (n < 2) break;
      const a = clusters[n - 2];
      const b = clusters[n - 1];
      if (a.start + a.members.length * spacing <= b.start) break;
      const members = [...a.members, ...b.members];
      const mean = members.reduce((s, m) => s + positions[m], 0) / members.length;
      clusters.splice(n - 2, 2, { start: mean - ((members.length - 1) * spacing) / 2, members });
    }
  }
  const out = new Array<number>(positions.length);
  for (const c of clusters) c.members.forEach((m, k) => (out[m] = c.start + k * spacing));
  return out;
}

/** Formats a number with thousands separators and at most `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
}
