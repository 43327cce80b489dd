/**
 * How the push reads a failed Stripe request: retry it (a rate limit, 409,
 * 5xx, a connection error or timeout), count it as accepted (an event with
 * this identifier already exists), or stop (any other 4xx).
 *
 * @module
 */
import { redactStripeKeys } from "./keys.ts";

/** What to do about a failed request. */
export type StripeFailureKind = "retry" | "duplicate" | "stop" | "auth";

/** A classified failure, safe to print (see {@linkcode redactStripeKeys}). */
export interface StripeFailure {
  kind: StripeFailureKind;
  http_status?: number;
  /** Stripe's error `type` (e.g. `invalid_request_error`) or the SDK error class name. */
  type?: string;
  code?: string;
  message: string;
}

/** Error codes Stripe uses, or may use, for an identifier that already exists. */
const DUPLICATE_CODES = new Set(["resource_already_exists", "duplicate_meter_event"]);
const DUPLICATE_MESSAGE = /already exists.*identifier|identifier.*already exists/i;

/**
 * Whether Stripe said "slow down": HTTP 429 (code `rate_limit`, or `lock_timeout` for an object
 * another request holds), or the older form, a 400 with code `rate_limit`, which stripe-node
 * also turns into a `StripeRateLimitError`.
 */
function isRateLimit(status: number | undefined, code: string | undefined, type: unknown): boolean {
  return status === 429 || (status === 400 && code === "rate_limit") ||
    type === "StripeRateLimitError";
}

/**
 * Classifies an error thrown by the `stripe` SDK (or anything shaped like
 * one: `statusCode`, `type`, `rawType`, `code`, `message`).
 *
 * A rate limit is retried whether Stripe sends it as a 429 or as a 400 with
 * code `rate_limit`. A 400 `invalid_request_error` whose message says an
 * event with this identifier already exists (Stripe's words: "An event
 * already exists with identifier ...") is a duplicate, i.e. accepted earlier.
 *
 * @example
 * ```ts
 * import { classifyStripeError } from "./failure.ts";
 * classifyStripeError({ statusCode: 429, message: "Too many requests" }).kind; // "retry"
 * classifyStripeError({ statusCode: 400, code: "rate_limit", message: "Too many" }).kind; // "retry"
 * ```
 */
export function classifyStripeError(error: unknown): StripeFailure {
  const e = (error ?? {}) as {
    statusCode?: number;
    type?: string;
    rawType?: string;
    code?: string;
    message?: string;
  };
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const message = redactStripeKeys(
    typeof e.message === "string" && e.message !== "" ? e.message : String(error),
  );
  const base = {
    http_status: status,
    type: e.rawType ?? e.type,
    code: typeof e.code === "string" ? e.code : undefined,
    message,
  };
  if (status === undefined) {
    // No HTTP answer: a connection error or the SDK's timeout. Anything that is
    // not a Stripe SDK error is a bug and is not retried.
    return { kind: e.type === "StripeConnectionError" ? "retry" : "stop", ...base };
  }
  if (isRateLimit(status, base.code, e.type) || status === 409 || status >= 500) {
    return { kind: "retry", ...base };
  }
  if (
    status === 400 && (DUPLICATE_CODES.has(base.code ?? "") || DUPLICATE_MESSAGE.test(message))
  ) {
    return { kind: "duplicate", ...base };
  }
  if (status === 401 || status === 403) return { kind: "auth", ...base };
  return { kind: "stop", ...base };
}
