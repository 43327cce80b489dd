/**
 * The deterministic cost model for seeded runs: seconds = a × n_ens × n_steps
 * + b, with a and b fitted by least squares on timed runs of this machine
 * (`deno task calibrate`) and stored in data/cost_model.json.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** A fitted cost model. */
export interface CostModel {
  /** Seconds per member-step (per particle per model step). */
  a: number;
  /** Fixed seconds per job. */
  b: number;
}

/** The calibration file's content: the model plus how it was fitted. */
export interface CostModelFile extends CostModel {
  formula?: string;
  r2?: number;
  fitted_at?: string;
  machine?: Record<string, unknown>;
  samples?: CostSample[];
}

/** One timed run. */
export interface CostSample {
  n_ens: number;
  n_steps: number;
  seconds: number;
}

/** The default location of the calibration file. */
export const DEFAULT_COST_MODEL_PATH = "data/cost_model.json";

/**
 * Seconds that a job of `n_ens` members and `n_steps` steps costs under the
 * model (never negative).
 *
 * @example
 * ```ts
 * import { costModelSeconds } from "./cost_model.ts";
 * costModelSeconds({ a: 2.5e-7, b: 0.002 }, 1000, 365); // 0.09325
 * ```
 */
export function costModelSeconds(model: CostModel, n_ens: number, n_steps: number): number {
  const s = model.a * n_ens * n_steps + model.b;
  return s > 0 ? s : 0;
}

/** Checks a cost model's a and b; `where` names the source for the message. */
export function checkCostModel(value: unknown, where = "cost model"): CostModel {
  const v = value as Partial<CostModel> | null;
  if (typeof v !== "object" || v === null) {
    throw new UserError(`${where}: expected an object { "a": number, "b": number }`);
  }
  for (const key of ["a", "b"] as const) {
    const x = v[key];
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
      throw new UserError(
        `${where}: "${key}" must be a finite number >= 0, got ${
          JSON.stringify(x)
        }; run \`deno task calibrate\` to refit it`,
      );
    }
  }
  return { a: v.a!, b: v.b! };
}

/**
 * Reads a cost model file (data/cost_model.json by default).
 *
 * @example
 * ```ts
 * import { loadCostModel } from "./cost_model.ts";
 * const model = await loadCostModel("data/cost_model.json");
 * ```
 */
export async function loadCostModel(path = DEFAULT_COST_MODEL_PATH): Promise<CostModelFile> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Cannot read cost model "${path}": no such file; run \`deno task calibrate\` to create it`,
      );
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`Cannot read cost model "${path}": not JSON (${(error as Error).message})`);
  }
  const model = checkCostModel(parsed, `cost model "${path}"`);
  return { ...(parsed as CostModelFile), ...model };
}

/**
 * Least-squares fit of seconds = a × (n_ens × n_steps) + b over timed runs.
 * Needs at least two distinct sizes. A negative intercept is refitted through
 * the origin (b = 0) so that the model never predicts negative time.
 *
 * @example
 * ```ts
 * import { fitCostModel } from "./cost_model.ts";
 * fitCostModel([
 *   { n_ens: 100, n_steps: 100, seconds: 0.004 },
 *   { n_ens: 1000, n_steps: 100, seconds: 0.031 },
 * ]); // { a: 3e-7, b: 0.001, r2: 1 }
 * ```
 */
export function fitCostModel(samples: CostSample[]): CostModel & { r2: number } {
  const xs = samples.map((s) => s.n_ens * s.n_steps);
  const ys = samples.map((s) => s.seconds);
  if (new Set(xs).size < 2) {
    throw new UserError(
      `Cannot fit the cost model: need runs of at least 2 different sizes (n_ens x n_steps), got ${
        [...new Set(xs)].join(", ") || "none"
      }`,
    );
  }
  for (const y of ys) {
    if (!Number.isFinite(y) || y < 0) {
      throw new UserError(`Cannot fit the cost model: a timing is ${y}; timings must be >= 0`);
    }
  }
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  let a = sxy / sxx;
  let b = my - a * mx;
  if (b < 0 || a < 0) {
    // through the origin
    let num = 0, den = 0;
    for (let i = 0; i < n; i++) {
      num += xs[i] * ys[i];
      den += xs[i] * xs[i];
    }
    a = Math.max(0, num / den);
    b = 0;
  }
  let ssr = 0, sst = 0;
  for (let i = 0; i < n; i++) {
    ssr += (ys[i] - (a * xs[i] + b)) ** 2;
    sst += (ys[i] - my) ** 2;
  }
  return { a, b, r2: sst > 0 ? 1 - ssr / sst : 1 };
}
