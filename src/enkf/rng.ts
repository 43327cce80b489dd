/**
 * A small, fast, seeded pseudo-random generator (sfc32) with uniform,
 * Gaussian (Box–Muller), Poisson and binomial-approximation draws. No
 * allocation per draw: the simulation's time loop calls it millions of times.
 *
 * @module
 */

/** A seed: a number (any finite value) or a string. */
export type RngSeed = number | string;

/** Mixes a seed into four 32-bit words (FNV-1a over the text, then splitmix32). */
function seedWords(seed: RngSeed): [number, number, number, number] {
  const text = typeof seed === "number" ? `n:${seed}` : `s:${seed}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    h = (h + 0x9e3779b9) | 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out[k] = (z ^ (z >>> 16)) >>> 0;
  }
  return out;
}

const TWO_POW_32 = 4294967296;

/**
 * A seeded generator. The same seed gives the same sequence on every machine.
 *
 * @example
 * ```ts
 * import { Rng } from "./rng.ts";
 * const rng = new Rng(42);
 * const u = rng.uniform(); // in (0, 1)
 * const z = rng.normal(); // standard Gaussian
 * const k = rng.poisson(3.5); // a count
 * ```
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare = 0;
  #hasSpare = false;

  /** Creates a generator from a number or string seed. */
  constructor(seed: RngSeed) {
    const [a, b, c, d] = seedWords(seed);
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** A uniform draw in the open interval (0, 1). */
  uniform(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /**
   * A standard Gaussian draw by the Box–Muller transform in Marsaglia's polar
   * form (no trigonometry); the second value of each pair is kept for the
   * next call.
   */
  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * f;
    this.#hasSpare = true;
    return u * f;
  }

  /**
   * A Poisson draw with mean `mean`: inversion below a mean of 30, a rounded
   * Gaussian approximation (clamped at 0) above.
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 30) {
      let p = Math.exp(-mean);
      let cdf = p;
      const u = this.uniform();
      let k = 0;
      while (u > cdf && k < 1000) {
        k++;
        p *= mean / k;
        cdf += p;
      }
      return k;
    }
    const k = Math.round(mean + Math.sqrt(mean) * this.normal());
    return k < 0 ? 0 : k;
  }

  /**
   * An approximate Binomial(n, p) draw for the chain-binomial model, for a
   * possibly non-integer `n` (the filter's states are real numbers): a Poisson
   * draw capped at `n` when the mean n·p is below 30, otherwise a rounded
   * Gaussian with the binomial variance n·p·(1-p), clamped to [0, n].
   */
  binomialApprox(n: number, p: number): number {
    if (!(n > 0) || !(p > 0)) return 0;
    if (p >= 1) return n;
    const mean = n * p;
    if (mean < 30) {
      const k = this.poisson(mean);
      return k > n ? n : k;
    }
    const k = Math.round(mean + Math.sqrt(mean * (1 - p)) * this.normal());
    return k < 0 ? 0 : k > n ? n : k;
  }
}
