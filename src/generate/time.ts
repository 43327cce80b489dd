/**
 * Month arithmetic for generators (UTC, integer milliseconds).
 *
 * @module
 */

/** The first instant of a `YYYY-MM` month, in epoch milliseconds (UTC). */
export function monthStartMs(month: string): number {
  const [y, m] = month.split("-").map(Number);
  return Date.UTC(y, m - 1, 1);
}

/** The month `k` months after `month` (k may be negative), as `YYYY-MM`. */
export function addMonths(month: string, k: number): string {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + k;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Whole months from `a` to `b` (`b` minus `a`). */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split("-").map(Number);
  const [yb, mb] = b.split("-").map(Number);
  return (yb - ya) * 12 + (mb - ma);
}

/** An epoch-millisecond instant as ISO 8601 UTC with milliseconds. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Event ids `<prefix>-<seed>-<n>`, n zero-padded to a fixed width (at least
 * 6 digits) so that sorting ids sorts events in generation order.
 */
export function eventId(prefix: string, seed: number, n: number, width: number): string {
  return `${prefix}-${seed}-${String(n).padStart(width, "0")}`;
}

/** The id width for `count` events: the digits of the largest index, at least 6. */
export function idWidth(count: number): number {
  return Math.max(6, String(Math.max(0, count - 1)).length);
}
