/**
 * Time-ordered UUIDv7 ids (RFC 9562) for usage events, with the clock and the
 * random source injected so that seeded runs are reproducible.
 *
 * @module
 */

/** Fills a buffer with random bytes (default: `crypto.getRandomValues`). */
export type RandomSource = (bytes: Uint8Array) => void;

/** Options of {@linkcode createUuidV7}. */
export interface UuidV7Options {
  /** Milliseconds since the Unix epoch (default: `Date.now`, the real clock). */
  now?: () => number;
  /** The random source (default: `crypto.getRandomValues`). */
  random?: RandomSource;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const POOL_IDS = 256;

/**
 * The fields of one UUIDv7 before it is written out as text: what
 * {@linkcode createUuidV7Stamps} hands out and {@linkcode formatUuidV7}
 * formats. Keeping the numbers and formatting later (after a response has
 * gone out) takes the formatting off a request's path.
 */
export interface UuidV7Stamp {
  /** The 48-bit millisecond timestamp. */
  readonly ms: number;
  /** The 12-bit `rand_a` field: a counter within the millisecond. */
  readonly counter: number;
  /** Random bits 0-31 of `rand_b` (the top two are replaced by the variant). */
  readonly randHi: number;
  /** Random bits 32-63 of `rand_b`. */
  readonly randLo: number;
}

/**
 * Creates a generator of UUIDv7 stamps: the numbers of the ids that
 * {@linkcode createUuidV7} makes from the same clock and random source
 * (`formatUuidV7(stamps())` is `createUuidV7()()`), for callers that
 * format an id only when it is needed.
 *
 * @example
 * ```ts
 * import { createUuidV7Stamps, formatUuidV7 } from "./uuidv7.ts";
 * const stamps = createUuidV7Stamps({ now: () => Date.UTC(2026, 9, 1) });
 * const stamp = stamps(); // { ms: 1790812800000, counter: …, randHi: …, randLo: … }
 * formatUuidV7(stamp); // "01a0f4c2-c400-7…"
 * ```
 */
export function createUuidV7Stamps(
  options: UuidV7Options = {},
): (atMs?: number) => UuidV7Stamp {
  const now = options.now ?? Date.now;
  const random = options.random ?? ((b: Uint8Array) => void crypto.getRandomValues(b));
  const pool = new Uint8Array(POOL_IDS * 10);
  let poolAt = pool.length;
  let lastMs = -1;
  let counter = 0;
  return function nextUuidV7Stamp(atMs?: number): UuidV7Stamp {
    if (poolAt === pool.length) {
      random(pool);
      poolAt = 0;
    }
    const r = poolAt;
    poolAt += 10;
    let ms = Math.floor(atMs ?? now());
    if (ms > lastMs) {
      lastMs = ms;
      counter = ((pool[r] << 8) | pool[r + 1]) & 0x7ff; // leave room to count up
    } else {
      ms = lastMs;
      counter++;
      if (counter > 0xfff) {
        lastMs = ++ms;
        counter = 0;
      }
    }
    return {
      ms,
      counter,
      randHi: ((pool[r + 2] << 24) | (pool[r + 3] << 16) | (pool[r + 4] << 8) | pool[r + 5]) >>> 0,
      randLo: ((pool[r + 6] << 24) | (pool[r + 7] << 16) | (pool[r + 8] << 8) | pool[r + 9]) >>> 0,
    };
  };
}

/**
 * Writes a UUIDv7 stamp out as the usual 36-character lowercase text.
 *
 * @example
 * ```ts
 * import { formatUuidV7 } from "./uuidv7.ts";
 * formatUuidV7({ ms: Date.UTC(2026, 9, 1), counter: 0, randHi: 0, randLo: 1 });
 * // "01a0f4c2-c400-7000-8000-000000000001"
 * ```
 */
export function formatUuidV7(stamp: UuidV7Stamp): string {
  const { ms, counter, randHi: a, randLo: b } = stamp;
  const hi = Math.floor(ms / 0x1000000); // top 24 bits of the 48-bit timestamp
  const lo = ms % 0x1000000;
  return HEX[(hi >>> 16) & 255] + HEX[(hi >>> 8) & 255] + HEX[hi & 255] +
    HEX[(lo >>> 16) & 255] + "-" + HEX[(lo >>> 8) & 255] + HEX[lo & 255] + "-" +
    HEX[0x70 | (counter >>> 8)] + HEX[counter & 255] + "-" +
    HEX[0x80 | ((a >>> 24) & 0x3f)] + HEX[(a >>> 16) & 255] + "-" +
    HEX[(a >>> 8) & 255] + HEX[a & 255] + HEX[b >>> 24] + HEX[(b >>> 16) & 255] +
    HEX[(b >>> 8) & 255] + HEX[b & 255];
}

/**
 * Creates a UUIDv7 generator. Ids are strictly increasing within one
 * generator (RFC 9562 method 1: the 12-bit `rand_a` field is a counter that
 * starts at a random value each millisecond; when it overflows, the timestamp
 * advances by one millisecond), so sorting ids sorts events by time.
 *
 * Pass the generator a reading of the clock (`nextId(ms)`) to stamp the id
 * with an instant already read, such as the event's `ts`: one reading for
 * both, so they agree (unless the clock stepped back or 4,096 ids shared one
 * millisecond: ids never go backwards).
 *
 * @example
 * ```ts
 * import { createUuidV7 } from "./uuidv7.ts";
 * let seed = 1;
 * const nextId = createUuidV7({
 *   now: () => Date.UTC(2026, 9, 1),
 *   random: (b) => b.forEach((_, i) => (b[i] = (seed = (seed * 48271) % 2147483647) & 255)),
 * });
 * nextId(); // "01a0f4c2-c400-7…"
 * ```
 */
export function createUuidV7(options: UuidV7Options = {}): (atMs?: number) => string {
  const stamps = createUuidV7Stamps(options);
  return function nextUuidV7(atMs?: number): string {
    return formatUuidV7(stamps(atMs));
  };
}

/**
 * The millisecond timestamp stored in a UUIDv7.
 *
 * @example
 * ```ts
 * import { uuidV7Time } from "./uuidv7.ts";
 * uuidV7Time("01a0f4c2-c400-7000-8000-000000000000"); // 1790812800000 (2026-10-01)
 * ```
 */
export function uuidV7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
