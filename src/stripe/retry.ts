/**
 * Exponential backoff with jitter, with the sleep and the random source
 * injected (tests run instantly and deterministically).
 *
 * @module
 */
import { classifyStripeError, type StripeFailure } from "./failure.ts";

/** Retry settings. */
export interface StripeRetryOptions {
  /** Attempts in all, the first included (default 6). */
  maxAttempts?: number;
  /** The first delay's ceiling in ms (default 500). */
  baseDelayMs?: number;
  /** The largest delay in ms (default 20 000). */
  maxDelayMs?: number;
  /** Sleeps `ms` milliseconds (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
  /** A uniform random number in [0, 1) (default: a fixed 0.5, no jitter). */
  random?: () => number;
  /** Called before each retry with the failure and the chosen delay. */
  onRetry?: (failure: StripeFailure, attempt: number, delayMs: number) => void;
}

/**
 * The delay before retry number `attempt` (1-based): "equal jitter", half of
 * `min(max, base * 2^(attempt-1))` plus a random share of the other half.
 *
 * @example
 * ```ts
 * import { stripeBackoffDelay } from "./retry.ts";
 * stripeBackoffDelay(1, () => 0); // 250
 * stripeBackoffDelay(3, () => 0.999); // 1999
 * ```
 */
export function stripeBackoffDelay(
  attempt: number,
  random: () => number,
  options: { baseDelayMs?: number; maxDelayMs?: number } = {},
): number {
  const ceiling = Math.min(
    options.maxDelayMs ?? 20_000,
    (options.baseDelayMs ?? 500) * 2 ** (attempt - 1),
  );
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/** The outcome of {@linkcode withStripeRetry}. */
export type StripeRetryResult<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; failure: StripeFailure; attempts: number };

/**
 * Runs `request` until it succeeds, fails with a failure that is not
 * retryable, or runs out of attempts. Only `retry` failures (rate limits:
 * 429 or a 400 `rate_limit`; 409, 5xx, connection errors, timeouts) are
 * retried.
 *
 * @example
 * ```ts
 * import { withStripeRetry } from "./retry.ts";
 * const result = await withStripeRetry(() => Promise.resolve(42), { sleep: () => Promise.resolve() });
 * result.ok; // true
 * ```
 */
export async function withStripeRetry<T>(
  request: () => Promise<T>,
  options: StripeRetryOptions = {},
): Promise<StripeRetryResult<T>> {
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const random = options.random ?? (() => 0.5);
  for (let attempt = 1;; attempt++) {
    try {
      return { ok: true, value: await request(), attempts: attempt };
    } catch (error) {
      const failure = classifyStripeError(error);
      if (failure.kind !== "retry" || attempt >= maxAttempts) {
        return { ok: false, failure, attempts: attempt };
      }
      const delay = stripeBackoffDelay(attempt, random, options);
      options.onRetry?.(failure, attempt, delay);
      await sleep(delay);
    }
  }
}
