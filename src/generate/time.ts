/**
 * Month arithmetic for generators (UTC, integer milliseconds).
 *
 * @module
 */

export { addMonths, monthsBetween, monthStartMs } from "../events/month.ts";

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
