/**
 * The fixed, colour-blind-friendly palette every chart shares: one colour per
 * event type (Okabe–Ito) and one per plan (Paul Tol's "muted" scheme), so that
 * `enkf_run` or the `usage` plan has the same colour in every chart.
 *
 * Names outside the known lists get a colour from a fallback list, chosen by a
 * hash of the name: the same name gets the same colour in every chart.
 *
 * @module
 */
import type { LegendEntry } from "./chart.ts";

/** Colours of the known event types (Okabe–Ito). */
export const EVENT_TYPE_COLORS: Readonly<Record<string, string>> = {
  api_call: "#0072B2", // blue
  enkf_run: "#D55E00", // vermillion
  report_gen: "#009E73", // bluish green
  unauthenticated: "#999999", // grey
};

/** Colours of the known plans (Paul Tol, muted). */
export const PLAN_COLORS: Readonly<Record<string, string>> = {
  flat: "#332288", // indigo
  usage: "#88CCEE", // cyan
  hybrid: "#44AA99", // teal
  starter: "#999933", // olive
  professional: "#CC6677", // rose
  enterprise: "#882255", // wine
};

const EVENT_TYPE_FALLBACK = ["#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
const PLAN_FALLBACK = ["#117733", "#AA4499", "#DDCC77", "#6699CC", "#DDDDDD"];

function hash(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * The colour of an event type.
 *
 * @example
 * ```ts
 * import { eventTypeColor } from "./palette.ts";
 * eventTypeColor("enkf_run"); // "#D55E00"
 * ```
 */
export function eventTypeColor(eventType: string): string {
  return EVENT_TYPE_COLORS[eventType] ??
    EVENT_TYPE_FALLBACK[hash(eventType) % EVENT_TYPE_FALLBACK.length];
}

/**
 * The colour of a plan.
 *
 * @example
 * ```ts
 * import { planColor } from "./palette.ts";
 * planColor("usage"); // "#88CCEE"
 * ```
 */
export function planColor(plan: string): string {
  return PLAN_COLORS[plan] ?? PLAN_FALLBACK[hash(plan) % PLAN_FALLBACK.length];
}

const KNOWN_EVENT_ORDER = Object.keys(EVENT_TYPE_COLORS);
const KNOWN_PLAN_ORDER = Object.keys(PLAN_COLORS);

function ordered(names: Iterable<string>, known: string[]): string[] {
  const unique = [...new Set(names)];
  const rank = (n: string) => {
    const i = known.indexOf(n);
    return i < 0 ? known.length : i;
  };
  return unique.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * An ordinal colour scale (`domain`, `range`) for the event types given, in a
 * fixed order (known types first), for Plot's `color` option.
 *
 * @example
 * ```ts
 * import { eventTypeScale } from "./palette.ts";
 * eventTypeScale(["report_gen", "api_call"]).domain; // ["api_call", "report_gen"]
 * ```
 */
export function eventTypeScale(
  eventTypes: Iterable<string>,
): { domain: string[]; range: string[] } {
  const domain = ordered(eventTypes, KNOWN_EVENT_ORDER);
  return { domain, range: domain.map(eventTypeColor) };
}

/**
 * An ordinal colour scale (`domain`, `range`) for the plans given, in a fixed
 * order (known plans first).
 *
 * @example
 * ```ts
 * import { planScale } from "./palette.ts";
 * planScale(["usage", "flat"]).range; // ["#332288", "#88CCEE"]
 * ```
 */
export function planScale(plans: Iterable<string>): { domain: string[]; range: string[] } {
  const domain = ordered(plans, KNOWN_PLAN_ORDER);
  return { domain, range: domain.map(planColor) };
}

/**
 * The legend of a colour scale, one entry per domain value in scale order,
 * drawn as `shape` ("rect" for bars and areas by default, "line", "dot").
 *
 * @example
 * ```ts
 * import { eventTypeScale, scaleLegend } from "./palette.ts";
 * scaleLegend("Event type", eventTypeScale(["api_call"])).entries[0].label; // "api_call"
 * ```
 */
export function scaleLegend(
  label: string,
  scale: { domain: string[]; range: string[] },
  shape?: "line" | "dot",
): { label: string; entries: LegendEntry[] } {
  return {
    label,
    entries: scale.domain.map((d, i) => ({
      label: d,
      color: scale.range[i],
      ...(shape ? { shape } : {}),
    })),
  };
}
