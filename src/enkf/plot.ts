/**
 * An SVG of one EnKF fit, rendered server side: observations (dots), the
 * ensemble median (line) and 90% band (area) of the filtered fit, then the
 * forecast's median and 90% band. Observable Plot draws into a linkedom
 * document.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { EnkfResult } from "./filter.ts";
import { addDaysUtc } from "./obs.ts";

/** Options of {@linkcode enkfFitSvg}. */
export interface EnkfPlotOptions {
  /** Period-end date of each observation (YYYY-MM-DD); without it the x axis is the day number. */
  dates?: string[];
  title?: string;
  width?: number;
  height?: number;
}

interface Row {
  x: Date | number;
  kind: string;
  q05: number;
  q50: number;
  q95: number;
}

/**
 * Renders the fit as an SVG string.
 *
 * @example
 * ```ts
 * import { enkfFitSvg, runEnkf, simulateSeir } from "./mod.ts";
 * const fit = runEnkf(simulateSeir({ days: 60, beta: 0.5, seed: 1 }).cases, { n_ens: 100 });
 * const svg = enkfFitSvg(fit, { title: "dept_a" });
 * ```
 */
export function enkfFitSvg(result: EnkfResult, options: EnkfPlotOptions = {}): string {
  const { document } = parseHTML("<html><body></body></html>") as unknown as {
    document: Plot.PlotOptions["document"];
  };
  const interval = result.options.obs_interval;
  const first = options.dates?.[0];
  const xOf = (t: number): Date | number =>
    first ? new Date(`${addDaysUtc(first, t * interval)}T00:00:00Z`) : result.day[t];
  const rows: Row[] = [];
  for (let t = 0; t < result.n_obs; t++) {
    rows.push({
      x: xOf(t),
      kind: "fit",
      q05: result.posterior.q05[t],
      q50: result.posterior.q50[t],
      q95: result.posterior.q95[t],
    });
  }
  for (let h = 0; h < result.forecast.q50.length; h++) {
    rows.push({
      x: xOf(result.n_obs + h),
      kind: "forecast",
      q05: result.forecast.q05[h],
      q50: result.forecast.q50[h],
      q95: result.forecast.q95[h],
    });
  }
  const obs = Array.from(result.observations, (y, t) => ({ x: xOf(t), y }));
  const fit = rows.filter((r) => r.kind === "fit");
  // the forecast starts from the last fitted point so the bands join
  const forecast = [fit[fit.length - 1], ...rows.filter((r) => r.kind === "forecast")];
  const b = result.summary.beta;
  const unit = interval === 1 ? "daily" : interval === 7 ? "weekly" : `per ${interval} days`;
  const width = options.width ?? 960;
  const height = options.height ?? 480;
  const svg = Plot.plot({
    document,
    width,
    height,
    marginLeft: 60,
    marginRight: 40,
    marginBottom: 50,
    style: { fontFamily: "sans-serif", fontSize: "13px", background: "white" },
    x: { label: first ? null : "day", grid: true },
    y: { label: `reported cases (${unit})`, grid: true, nice: true },
    marks: [
      Plot.areaY(fit, { x: "x", y1: "q05", y2: "q95", fill: COLORS.fit, fillOpacity: 0.25 }),
      Plot.areaY(forecast, {
        x: "x",
        y1: "q05",
        y2: "q95",
        fill: COLORS.forecast,
        fillOpacity: 0.2,
      }),
      Plot.lineY(fit, { x: "x", y: "q50", stroke: COLORS.fit, strokeWidth: 2 }),
      Plot.lineY(forecast, {
        x: "x",
        y: "q50",
        stroke: COLORS.forecast,
        strokeWidth: 2,
        strokeDasharray: "6,3",
      }),
      Plot.dot(obs, { x: "x", y: "y", r: 2.5, fill: COLORS.observed }),
      Plot.ruleY([0]),
    ],
  }) as unknown as { outerHTML: string };
  const title = options.title ?? "EnKF fit and forecast";
  const subtitle = `${result.options.n_ens} members · beta ${b.mean.toFixed(3)} (90% ${
    b.q05.toFixed(3)
  }–${b.q95.toFixed(3)}) · R0 ${
    result.summary.r0.mean.toFixed(2)
  } · filtered fit and ${result.forecast.q50.length}-period forecast`;
  const legend: Array<[string, string, number]> = [
    ["observed", COLORS.observed, 1],
    ["filtered fit: median, 90% band", COLORS.fit, 0.6],
    ["forecast: median, 90% band", COLORS.forecast, 0.6],
  ];
  const top = 80;
  let items = "";
  let lx = 60;
  for (const [text, color, opacity] of legend) {
    items +=
      `<rect x="${lx}" y="56" width="12" height="12" fill="${color}" fill-opacity="${opacity}"/>` +
      `<text x="${lx + 18}" y="66" font-size="13">${esc(text)}</text>`;
    lx += 40 + text.length * 7;
  }
  const inner = svg.outerHTML.replace(/^<svg/, `<svg x="0" y="${top}"`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + top}" ` +
    `viewBox="0 0 ${width} ${height + top}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="20" y="26" font-size="18" font-weight="bold">${esc(title)}</text>` +
    `<text x="20" y="46" font-size="13" fill="#555">${esc(subtitle)}</text>` +
    items + inner + `</svg>\n`;
}

const COLORS = { observed: "#222222", fit: "#1f77b4", forecast: "#d62728" };

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
