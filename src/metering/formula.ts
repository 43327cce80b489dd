/**
 * Compute-unit formulas, by name. The seed document's formula is the
 * default: compute units = n_particles × n_steps × compute_seconds / 1000.
 * Others plug in by name through a registry passed to
 * {@linkcode resolveFormula} (or directly as an object).
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** What a formula sees about one job. */
export interface JobMeasure {
  /** Ensemble size / particles (0 when the job has none). */
  n_particles: number;
  /** Model steps (0 when the job has none). */
  n_steps: number;
  /** Billable seconds, from the clock (CPU seconds or the cost model). */
  compute_seconds: number;
  /** Wall-clock seconds. */
  wall_seconds: number;
  /** CPU seconds (user + system). */
  cpu_seconds: number;
}

/** A named compute-unit formula. */
export interface ComputeUnitFormula {
  /** The name events and configs refer to it by. */
  name: string;
  /** One line saying what it computes. */
  description: string;
  /** Compute units for a job (finite, >= 0; rounded to 6 decimals by the caller). */
  units(job: JobMeasure): number;
}

/** The seed's formula: n_particles × n_steps × compute_seconds / 1000. */
export const SEED_FORMULA: ComputeUnitFormula = {
  name: "seed",
  description: "n_particles x n_steps x compute_seconds / 1000",
  units: (j) => (j.n_particles * j.n_steps * j.compute_seconds) / 1000,
};

/** Compute units = compute seconds (pay for time only). */
export const SECONDS_FORMULA: ComputeUnitFormula = {
  name: "seconds",
  description: "compute_seconds",
  units: (j) => j.compute_seconds,
};

/** Compute units = particle-steps / 1,000,000 (pay for work, not time). */
export const PARTICLE_STEPS_FORMULA: ComputeUnitFormula = {
  name: "particle_steps",
  description: "n_particles x n_steps / 1e6",
  units: (j) => (j.n_particles * j.n_steps) / 1e6,
};

/** The built-in formulas by name; `seed` is the default. */
export const COMPUTE_UNIT_FORMULAS: Readonly<Record<string, ComputeUnitFormula>> = Object.freeze({
  seed: SEED_FORMULA,
  seconds: SECONDS_FORMULA,
  particle_steps: PARTICLE_STEPS_FORMULA,
});

/** The name of the default formula. */
export const DEFAULT_FORMULA = "seed";

/**
 * Finds a formula: a name looked up in `registry` (the built-ins by default),
 * or a formula object returned as is.
 *
 * @example
 * ```ts
 * import { COMPUTE_UNIT_FORMULAS, resolveFormula } from "./formula.ts";
 * resolveFormula("seed").units({ n_particles: 200, n_steps: 100, compute_seconds: 0.5,
 *   wall_seconds: 0.5, cpu_seconds: 0.5 }); // 10
 * const mine = {
 *   name: "double",
 *   description: "2 x seconds",
 *   units: (j: { compute_seconds: number }) => 2 * j.compute_seconds,
 * };
 * resolveFormula("double", { ...COMPUTE_UNIT_FORMULAS, double: mine });
 * ```
 */
export function resolveFormula(
  formula: string | ComputeUnitFormula = DEFAULT_FORMULA,
  registry: Readonly<Record<string, ComputeUnitFormula>> = COMPUTE_UNIT_FORMULAS,
): ComputeUnitFormula {
  if (typeof formula !== "string") return formula;
  const found = Object.hasOwn(registry, formula) ? registry[formula] : undefined;
  if (!found) {
    throw new UserError(
      `Unknown compute-unit formula ${JSON.stringify(formula)}; known: ${
        Object.keys(registry).join(", ")
      }`,
    );
  }
  return found;
}

/** Rounds compute units (or seconds) to 6 decimals, the store's precision. */
export function roundMicro(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
