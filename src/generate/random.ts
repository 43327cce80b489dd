/**
 * Seeded draws for scenario generation, on top of seedrandom (ARC4). Every
 * draw is plain IEEE arithmetic on the generator's output, so the same seed
 * gives the same values on every machine.
 *
 * @module
 */
import seedrandom from "seedrandom";

/** Micro-units per compute unit: the store keeps compute units to 6 decimals. */
export const MICRO = 1_000_000;

/**
 * A seeded source of draws for generators.
 *
 * @example
 * ```ts
 * import { ScenarioRandom } from "./random.ts";
 * const r = new ScenarioRandom("seed/42");
 * r.uniform(); // in [0, 1)
 * r.pick([0.5, 0.3, 0.2]); // 0, 1 or 2
 * r.units(0.001, 0.01); // e.g. 0.004817 (6 decimals)
 * ```
 */
export class ScenarioRandom {
  readonly #next: () => number;

  /** Creates the generator; the key is usually `"<scenario>/<seed>"`. */
  constructor(key: string) {
    this.#next = seedrandom(key);
  }

  /** A uniform draw in [0, 1). */
  uniform(): number {
    return this.#next();
  }

  /** A uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.#next() * (hi - lo + 1));
  }

  /** The index of a category drawn with the given weights (they need not sum to 1). */
  pick(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.#next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /**
   * Compute units drawn uniformly from [lo, hi] on the store's 6-decimal grid:
   * a whole number of micro-units, so it is exact at the store's precision.
   */
  units(lo: number, hi: number): number {
    const a = Math.round(lo * MICRO);
    const b = Math.round(hi * MICRO);
    return this.int(a, b) / MICRO;
  }

  /** A number rounded to `digits` decimals (half away from zero for positives). */
  static round(value: number, digits: number): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
  }
}
