/**
 * The pricing trade-off scatter: one labelled dot per plan, measured revenue
 * predictability (seller) across, measured usage alignment (buyer) up. Plans
 * with the same scores share one label ("flat, enterprise (1.00, 0.00)") and
 * draw as concentric rings; labels sit on a white box so that grid and axis
 * lines never run through them.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  type Chart,
  type ChartSizeOptions,
  escapeXml,
  frame,
  layout,
  type Overlay,
  renderPlot,
} from "./chart.ts";
import { planScale, scaleLegend } from "./palette.ts";

/** One plan's two scores (compare()'s `ComparedPlan` fits). */
export interface TradeoffPoint {
  plan: string;
  name?: string;
  predictability: { value: number | null };
  alignment: { value: number | null };
}

/** Options of {@linkcode tradeoffChart}. */
export interface TradeoffOptions extends ChartSizeOptions {
  title?: string;
  subtitle?: string;
}

interface LabelIn {
  label: string;
  /** Dot position in pixels. */
  px: number;
  py: number;
  /** Dot radius in pixels. */
  r: number;
}

interface LabelOut extends LabelIn {
  /** Label anchor position in pixels. */
  lx: number;
  ly: number;
  anchor: "start" | "end";
}

/**
 * Places one label per dot without overprinting: dots in the right half are
 * labelled on their left, the others on their right; dots whose labels would
 * be close vertically form a cluster whose labels line up in one column
 * outside the cluster, spread at least 1.3 lines apart in the dots' vertical
 * order, with leader lines where a label moved. Deterministic.
 */
export function placeScatterLabels(
  points: readonly LabelIn[],
  bounds: { left: number; right: number; top: number; bottom: number },
  fs: number,
): LabelOut[] {
  const pad = fs * 0.5;
  const spacing = fs * 1.3;
  const middle = (bounds.left + bounds.right) / 2;
  const out: LabelOut[] = points.map((p) => {
    const anchor = p.px > middle ? "end" : "start";
    const lx = anchor === "start" ? p.px + p.r + pad : p.px - p.r - pad;
    return { ...p, anchor, lx, ly: p.py };
  });
  for (const anchor of ["start", "end"] as const) {
    const side = out.filter((l) => l.anchor === anchor).sort((a, b) => a.py - b.py || a.px - b.px);
    // Clusters: runs of dots less than 2 label lines apart vertically.
    let start = 0;
    for (let i = 1; i <= side.length; i++) {
      if (i < side.length && side[i].py - side[i - 1].py < spacing * 2) continue;
      const cluster = side.slice(start, i);
      const lx = anchor === "start"
        ? Math.max(...cluster.map((m) => m.px + m.r)) + pad
        : Math.min(...cluster.map((m) => m.px - m.r)) - pad;
      for (const l of cluster) l.lx = lx;
      start = i;
    }
    for (let i = 1; i < side.length; i++) {
      side[i].ly = Math.max(side[i].ly, side[i - 1].ly + spacing);
    }
    const overflow = side.length > 0 ? side[side.length - 1].ly - bounds.bottom : 0;
    if (overflow > 0) {
      side[side.length - 1].ly -= overflow;
      for (let i = side.length - 2; i >= 0; i--) {
        side[i].ly = Math.min(side[i].ly, side[i + 1].ly - spacing);
      }
    }
  }
  return out;
}

/**
 * The trade-off scatter of measured predictability against measured alignment.
 * Plans whose scores are undefined (null) are listed in a note instead.
 *
 * @example
 * ```ts
 * import { tradeoffChart } from "./tradeoff.ts";
 * const chart = tradeoffChart([
 *   { plan: "flat", predictability: { value: 1 }, alignment: { value: 0 } },
 *   { plan: "usage", predictability: { value: 0.6 }, alignment: { value: 0.97 } },
 * ]);
 * ```
 */
export function tradeoffChart(
  points: readonly TradeoffPoint[],
  options: TradeoffOptions = {},
): Chart {
  const colors = planScale(points.map((p) => p.plan));
  const measured = points.filter((p) =>
    p.predictability.value !== null && p.alignment.value !== null
  );
  const unmeasured = points.filter((p) => !measured.includes(p)).map((p) => p.plan);
  const minY = Math.min(0, ...measured.map((p) => p.alignment.value!));
  const frameOptions = {
    ...options,
    title: options.title ?? "Pricing trade-off: predictability for us vs alignment for tenants",
    subtitle: options.subtitle ??
      "Measured on the usage history; right = steadier monthly revenue, up = pay tracks consumption",
    legend: scaleLegend("Plan", colors, "dot"),
    note: unmeasured.length > 0
      ? `Not measurable (too few months or tenant-months, or no variation): ${
        unmeasured.join(", ")
      }`
      : "Predictability = max(0, 1 - CV of monthly revenue per billed tenant); alignment = Pearson r of charge vs compute units over tenant-months",
  };
  const l = layout(frameOptions);
  const fs = l.fontSize;
  const fmt = (v: number) => (Math.abs(v) < 0.005 ? 0 : v).toFixed(2);
  const data = measured.map((p) => ({
    plan: p.plan,
    x: p.predictability.value!,
    y: p.alignment.value!,
    label: `${p.plan} (${fmt(p.predictability.value!)}, ${fmt(p.alignment.value!)})`,
  }));
  // How many later plans sit on the same spot as each plan (its ring number).
  const rings = data.map((d, i) =>
    data.slice(i + 1).filter((e) => Math.abs(e.x - d.x) < 0.01 && Math.abs(e.y - d.y) < 0.01)
      .length
  );
  // One label per printed position: plans whose rounded scores are equal share it.
  const labels: { text: string; x: number; y: number; r: number }[] = [];
  const byPosition = new Map<string, number>();
  data.forEach((d, i) => {
    const key = `${fmt(d.x)},${fmt(d.y)}`;
    const r = fs * 0.6 + fs * 0.35 * rings[i];
    const at = byPosition.get(key);
    if (at === undefined) {
      byPosition.set(key, labels.length);
      labels.push({ text: d.plan, x: d.x, y: d.y, r });
    } else {
      labels[at].text += `, ${d.plan}`;
      labels[at].r = Math.max(labels[at].r, r);
    }
  });
  for (const label of labels) label.text += ` (${fmt(label.x)}, ${fmt(label.y)})`;
  const margin = { top: fs * 2, right: fs * 2, bottom: fs * 3.5, left: fs * 5 };
  const overlay: Overlay = (scale) => {
    const x = scale("x");
    const y = scale("y");
    const placed = placeScatterLabels(
      labels.map((d) => ({ label: d.text, px: x.apply(d.x), py: y.apply(d.y), r: d.r })),
      {
        left: margin.left,
        right: l.width - margin.right,
        top: margin.top,
        bottom: l.plotHeight - margin.bottom,
      },
      fs,
    );
    const r = (v: number) => Math.round(v * 10) / 10;
    const parts = ['<g font-weight="600" fill="#222">'];
    for (const p of placed) {
      const moved = Math.abs(p.ly - p.py) > 1 ||
        Math.abs(Math.abs(p.lx - p.px) - p.r - fs * 0.5) > 1;
      if (moved) {
        const ex = p.anchor === "start" ? p.lx - fs * 0.2 : p.lx + fs * 0.2;
        parts.push(
          `<line x1="${r(p.px)}" y1="${r(p.py)}" x2="${r(ex)}" y2="${
            r(p.ly)
          }" stroke="#999" stroke-width="1"/>`,
        );
      }
    }
    for (const p of placed) {
      // A white box under the label (about 0.55 em per bold character) hides grid and axis
      // lines; the text's white halo covers the rest where a font runs wider.
      const w = p.label.length * fs * 0.55 + fs * 0.4;
      const bx = p.anchor === "start" ? p.lx - fs * 0.2 : p.lx - w + fs * 0.2;
      parts.push(
        `<rect x="${r(bx)}" y="${r(p.ly - fs * 0.65)}" width="${r(w)}" height="${
          r(fs * 1.3)
        }" rx="${r(fs * 0.2)}" fill="white" fill-opacity="0.9"/>`,
        `<text x="${r(p.lx)}" y="${
          r(p.ly)
        }" dy="0.35em" text-anchor="${p.anchor}" stroke="white" stroke-width="5" stroke-linejoin="round" paint-order="stroke">${
          escapeXml(p.label)
        }</text>`,
      );
    }
    parts.push("</g>");
    return parts.join("");
  };
  const body = renderPlot(
    {
      width: l.width,
      height: l.plotHeight,
      marginTop: margin.top,
      marginRight: margin.right,
      marginBottom: margin.bottom,
      marginLeft: margin.left,
      x: {
        domain: [-0.05, 1.05],
        label: "Revenue predictability for the seller (1 - CV of monthly revenue per tenant) →",
        labelAnchor: "center",
        grid: true,
        ticks: 11,
      },
      y: {
        domain: [minY < 0 ? minY - 0.05 : -0.05, 1.05],
        label: "↑ Usage alignment for the buyer (Pearson r, charge vs compute units)",
        grid: true,
      },
      color: colors,
      marks: [
        Plot.ruleX([0], { stroke: "#888" }),
        Plot.ruleY([0], { stroke: "#888" }),
        // Plans at the same spot draw as concentric rings: earlier plans larger, drawn first.
        ...[...new Set(rings)].sort((p, q) => q - p).map((k) =>
          Plot.dot(data.filter((_, i) => rings[i] === k), {
            x: "x",
            y: "y",
            fill: "plan",
            r: fs * 0.6 + fs * 0.35 * k,
            stroke: "white",
            strokeWidth: 1.5,
            title: "label",
          })
        ),
      ],
    },
    fs,
    overlay,
  );
  return frame(body, frameOptions);
}
