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
 * nextId(); // "01999d8c-6800-7…"
 * ```
 */
export function createUuidV7(options: UuidV7Options = {}): (atMs?: number) => string {
  const now = options.now ?? Date.now;
  const random = options.random ?? ((b: Uint8Array) => void crypto.getRandomValues(b));
  const pool = new Uint8Array(POOL_IDS * 10);
  let poolAt = pool.length;
  let lastMs = -1;
  let counter = 0;
  return function nextUuidV7(atMs?: number): string {
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
    const hi = Math.floor(ms / 0x1000000); // top 24 bits of the 48-bit timestamp
    const lo = ms % 0x1000000;
    return HEX[(hi >>> 16) & 255] + HEX[(hi >>> 8) & 255] + HEX[hi & 255] +
      HEX[(lo >>> 16) & 255] + "-" + HEX[(lo >>> 8) & 255] + HEX[lo & 255] + "-" +
      HEX[0x70 | (counter >>> 8)] + HEX[counter & 255] + "-" +
      HEX[0x80 | (pool[r + 2] & 0x3f)] + HEX[pool[r + 3]] + "-" +
      HEX[pool[r + 4]] + HEX[pool[r + 5]] + HEX[pool[r + 6]] + HEX[pool[r + 7]] +
      HEX[pool[r + 8]] + HEX[pool[r + 9]];
  };
}

/**
 * The millisecond timestamp stored in a UUIDv7.
 *
 * @example
 * ```ts
 * import { uuidV7Time } from "./uuidv7.ts";
 * uuidV7Time("01999d8c-6800-7000-8000-000000000000"); // 1759276800000
 * ```
 */
export function uuidV7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
