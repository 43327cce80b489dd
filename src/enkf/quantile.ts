/**
 * Ensemble quantiles without sorting or allocating: an in-place quickselect
 * on a scratch copy, with linear interpolation between order statistics
 * (the usual "type 7" definition, as in R's default and numpy's "linear").
 *
 * @module
 */

/** Rearranges `a[0..n)` so that `a[k]` holds its k-th smallest value (Wirth's algorithm). */
function select(a: Float64Array, n: number, k: number): void {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const pivot = a[k];
    let i = lo, j = hi;
    do {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

/** The minimum of a[lo..hi]. */
function minOf(a: Float64Array, lo: number, hi: number): number {
  let m = a[lo];
  for (let i = lo + 1; i <= hi; i++) if (a[i] < m) m = a[i];
  return m;
}

/**
 * The q-quantile (0 <= q <= 1) of the first `n` values of `values`, using
 * `scratch` (length >= n) as working space; `values` is left untouched.
 *
 * @example
 * ```ts
 * import { ensembleQuantile } from "./quantile.ts";
 * ensembleQuantile(new Float64Array([3, 1, 2, 4]), 4, 0.5, new Float64Array(4)); // 2.5
 * ```
 */
export function ensembleQuantile(
  values: Float64Array,
  n: number,
  q: number,
  scratch: Float64Array,
  offset = 0,
): number {
  for (let i = 0; i < n; i++) scratch[i] = values[offset + i];
  return ensembleQuantileInPlace(scratch, n, q);
}

/** Like {@linkcode ensembleQuantile} but reorders `a` itself. */
export function ensembleQuantileInPlace(a: Float64Array, n: number, q: number): number {
  const pos = q * (n - 1);
  const k = Math.floor(pos);
  const frac = pos - k;
  select(a, n, k);
  const lower = a[k];
  if (frac === 0 || k + 1 >= n) return lower;
  // after select, everything right of k is >= a[k]: the next order statistic is their minimum
  return lower + frac * (minOf(a, k + 1, n - 1) - lower);
}

/**
 * Writes the 5%, 50% and 95% quantiles of `values[offset..offset+n)` into
 * `out[at]`, `out[at + stride]`, `out[at + 2 * stride]`.
 */
export function ensembleQuantiles3(
  values: Float64Array,
  offset: number,
  n: number,
  scratch: Float64Array,
  out: Float64Array,
  at: number,
  stride: number,
): void {
  for (let i = 0; i < n; i++) scratch[i] = values[offset + i];
  out[at] = ensembleQuantileInPlace(scratch, n, 0.05);
  out[at + stride] = ensembleQuantileInPlace(scratch, n, 0.5);
  out[at + 2 * stride] = ensembleQuantileInPlace(scratch, n, 0.95);
}
