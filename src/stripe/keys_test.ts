import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { checkStripeKey, redactStripeKeys, stripeKeyMode } from "./keys.ts";

const LIVE = "sk_live_51AbCdEfGhIjKlMnOp";
const TEST = "sk_test_51AbCdEfGhIjKlMnOp";

Deno.test("keyMode reads the prefix", () => {
  assert.equal(stripeKeyMode(LIVE), "live");
  assert.equal(stripeKeyMode("rk_live_x"), "live");
  assert.equal(stripeKeyMode(TEST), "test");
  assert.equal(stripeKeyMode("pk_test_x"), "unknown");
});

Deno.test("a live key without --live is refused, and the message never shows it", () => {
  assert.throws(() => checkStripeKey(LIVE, { live: false }), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.match(error.message, /live-mode key.*--live/);
    assert.ok(!error.message.includes(LIVE));
    return true;
  });
  assert.throws(() => checkStripeKey("rk_live_abc", { live: false }), UserError);
});

Deno.test("a dry run uses no key; --live needs one", () => {
  assert.equal(checkStripeKey(TEST, { live: false }), undefined);
  assert.equal(checkStripeKey(undefined, { live: false }), undefined);
  assert.throws(() => checkStripeKey(undefined, { live: true }), /--live needs STRIPE_SECRET_KEY/);
  assert.throws(() => checkStripeKey("  ", { live: true }), /--live needs STRIPE_SECRET_KEY/);
  assert.throws(() => checkStripeKey("pk_test_abc", { live: true }), /does not look like/);
  assert.equal(checkStripeKey(TEST, { live: true }), TEST);
  assert.equal(checkStripeKey(LIVE, { live: true }), LIVE);
});

Deno.test("a live key is never sent to another API host", () => {
  assert.throws(
    () => checkStripeKey(LIVE, { live: true, apiBase: new URL("http://127.0.0.1:12111") }),
    /only go to https:\/\/api.stripe.com/,
  );
  assert.equal(
    checkStripeKey(LIVE, { live: true, apiBase: new URL("https://api.stripe.com") }),
    LIVE,
  );
  assert.equal(
    checkStripeKey(TEST, { live: true, apiBase: new URL("http://127.0.0.1:12111") }),
    TEST,
  );
});

Deno.test("redactKeys hides the key and anything shaped like one", () => {
  assert.equal(
    redactStripeKeys(`Invalid API Key provided: ${TEST}`, TEST),
    "Invalid API Key provided: sk_***",
  );
  assert.equal(redactStripeKeys("x rk_live_abc123 y"), "x sk_*** y");
  assert.equal(redactStripeKeys("custom-key-123456 here", "custom-key-123456"), "sk_*** here");
});
