/**
 * Stripe secret key handling: which mode a key is for, the safety rules the
 * push applies to it, and redaction so a key never reaches output or files.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** The mode a Stripe key works in. */
export type StripeKeyMode = "live" | "test" | "unknown";

const LIVE = /^(sk|rk)_live_/;
const TEST = /^(sk|rk)_test_/;
/** Anything that looks like a Stripe secret or restricted key. */
const KEY_PATTERN = /\b(sk|rk)_(live|test)_[A-Za-z0-9_]+/g;

/**
 * The mode of a key, from its prefix (`sk_live_`/`rk_live_` or `sk_test_`/`rk_test_`).
 *
 * @example
 * ```ts
 * import { stripeKeyMode } from "./keys.ts";
 * stripeKeyMode("sk_test_123"); // "test"
 * ```
 */
export function stripeKeyMode(key: string): StripeKeyMode {
  if (LIVE.test(key)) return "live";
  if (TEST.test(key)) return "test";
  return "unknown";
}

/**
 * Applies the push's key rules and returns the key to use (only with
 * `live: true`). Without `--live` (a dry run) no key is used, and a live-mode
 * key in the environment is refused so it is never loaded silently. With
 * `--live`, a secret (`sk_`) or restricted (`rk_`) key is required; a
 * live-mode key is also refused when the API is not `api.stripe.com` over
 * https (it would be sent to another server). Messages never contain the key.
 *
 * @example
 * ```ts
 * import { checkStripeKey } from "./keys.ts";
 * checkStripeKey("sk_test_abc", { live: false }); // undefined: dry runs use no key
 * checkStripeKey("sk_test_abc", { live: true }); // "sk_test_abc"
 * ```
 */
export function checkStripeKey(
  key: string | undefined,
  options: { live: boolean; apiBase?: URL },
): string | undefined {
  const given = key !== undefined && key.trim() !== "";
  const mode = given ? stripeKeyMode(key!.trim()) : "unknown";
  if (!options.live) {
    if (mode === "live") {
      throw new UserError(
        "STRIPE_SECRET_KEY holds a live-mode key (sk_live_/rk_live_) but --live was not given: " +
          "refusing to load it for a dry run; unset STRIPE_SECRET_KEY, or pass --live to send",
      );
    }
    return undefined;
  }
  if (!given) {
    throw new UserError(
      "--live needs STRIPE_SECRET_KEY in the environment (a sk_test_ key for test mode, " +
        "sk_live_ for live mode); without --live the push is a dry run that needs no key",
    );
  }
  if (mode === "unknown") {
    throw new UserError(
      "STRIPE_SECRET_KEY does not look like a Stripe secret key: expected it to start with " +
        "sk_test_, sk_live_, rk_test_ or rk_live_ (publishable pk_ keys cannot create meter events)",
    );
  }
  const base = options.apiBase;
  if (
    mode === "live" && base && !(base.protocol === "https:" && base.hostname === "api.stripe.com")
  ) {
    throw new UserError(
      `refusing to send a live-mode key to ${base.origin}: live keys only go to ` +
        "https://api.stripe.com; use a sk_test_ key with --stripe-api",
    );
  }
  return key!.trim();
}

/**
 * Replaces the given key and anything shaped like a Stripe secret key in a
 * text by `sk_***`.
 *
 * @example
 * ```ts
 * import { redactStripeKeys } from "./keys.ts";
 * redactStripeKeys("bad key sk_test_abc123"); // "bad key sk_***"
 * ```
 */
export function redactStripeKeys(text: string, key?: string): string {
  let out = text;
  if (key && key.length >= 8) out = out.split(key).join("sk_***");
  return out.replace(KEY_PATTERN, "sk_***");
}
