/**
 * The plans file's per-event compute-unit rule: an optional top-level
 * `"event_units": { "api_call": "0.001" }` beside `"plans"` says how many
 * compute units each event of a type carries when it is recorded (the
 * metering middleware reads `api_call`).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { DEFAULT_API_CALL_UNITS } from "./core.ts";

/**
 * Reads `event_units` from a plans file (JSON, or YAML for .yaml/.yml); a
 * missing file or key gives `{}`.
 *
 * @example
 * ```ts
 * import { loadEventUnits } from "./event_units.ts";
 * const units = await loadEventUnits("data/plans.json"); // { api_call: 0.001 }
 * ```
 */
export async function loadEventUnits(path: string): Promise<Record<string, number>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(path) ? (await import("yaml")).parse(text) : JSON.parse(text);
  } catch (error) {
    throw new UserError(`Cannot read plans file "${path}": ${(error as Error).message}`);
  }
  const raw = (doc as { event_units?: unknown })?.event_units;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new UserError(
      `plans file "${path}": event_units must be an object like { "api_call": "0.001" }`,
    );
  }
  const out: Record<string, number> = {};
  for (const [type, value] of Object.entries(raw as Record<string, unknown>)) {
    const n = typeof value === "string" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
      throw new UserError(
        `plans file "${path}": event_units.${type} must be a decimal >= 0 like "0.001", got ${
          JSON.stringify(value)
        }`,
      );
    }
    out[type] = n;
  }
  return out;
}

/**
 * Compute units per `api_call` event: the plans file's `event_units.api_call`,
 * else {@linkcode DEFAULT_API_CALL_UNITS} (0.001).
 *
 * @example
 * ```ts
 * import { apiCallUnits } from "./event_units.ts";
 * await apiCallUnits("data/plans.json"); // 0.001
 * ```
 */
export async function apiCallUnits(plansPath: string): Promise<number> {
  return (await loadEventUnits(plansPath)).api_call ?? DEFAULT_API_CALL_UNITS;
}
