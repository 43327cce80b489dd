import assert from "node:assert/strict";
import { classifyStripeError } from "./failure.ts";
import { stripeBackoffDelay, withStripeRetry } from "./retry.ts";

Deno.test("classifyFailure: retry, duplicate, auth, stop", () => {
  assert.equal(classifyStripeError({ statusCode: 429, message: "x" }).kind, "retry");
  assert.equal(classifyStripeError({ statusCode: 500, message: "x" }).kind, "retry");
  assert.equal(classifyStripeError({ statusCode: 503, message: "x" }).kind, "retry");
  assert.equal(classifyStripeError({ statusCode: 409, message: "x" }).kind, "retry");
  assert.equal(
    classifyStripeError({
      type: "StripeConnectionError",
      message: "Request aborted due to timeout",
    })
      .kind,
    "retry",
  );
  assert.equal(
    classifyStripeError({
      statusCode: 400,
      rawType: "invalid_request_error",
      message: "An event already exists with identifier mb-2026-10-dept_a-compute_units-r1.",
    }).kind,
    "duplicate",
  );
  assert.equal(
    classifyStripeError({ statusCode: 400, code: "resource_already_exists", message: "x" }).kind,
    "duplicate",
  );
  assert.equal(classifyStripeError({ statusCode: 401, message: "bad key" }).kind, "auth");
  assert.equal(classifyStripeError({ statusCode: 400, message: "No such customer" }).kind, "stop");
  assert.equal(classifyStripeError({ statusCode: 404, message: "x" }).kind, "stop");
  assert.equal(classifyStripeError(new TypeError("bug")).kind, "stop");
  assert.equal(
    classifyStripeError({ statusCode: 401, message: "Invalid API Key provided: sk_test_abc123" })
      .message,
    "Invalid API Key provided: sk_***",
  );
});

Deno.test("classifyFailure: a rate limit is retried as a 429 and as a 400 with code rate_limit", () => {
  // Stripe's 429 body: an invalid_request_error with code rate_limit
  assert.equal(
    classifyStripeError({
      statusCode: 429,
      rawType: "invalid_request_error",
      code: "rate_limit",
      message: "Request rate limit exceeded.",
    }).kind,
    "retry",
  );
  // the older form stripe-node's Error.js also maps to StripeRateLimitError
  const old = classifyStripeError({
    statusCode: 400,
    rawType: "invalid_request_error",
    code: "rate_limit",
    message: "Request rate limit exceeded",
  });
  assert.equal(old.kind, "retry");
  assert.equal(old.code, "rate_limit");
  assert.equal(
    classifyStripeError({ statusCode: 400, type: "StripeRateLimitError", message: "slow" }).kind,
    "retry",
  );
  // any other 400 still stops
  assert.equal(
    classifyStripeError({ statusCode: 400, code: "parameter_missing", message: "x" }).kind,
    "stop",
  );
});

Deno.test("backoffDelay grows exponentially with equal jitter, capped", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => stripeBackoffDelay(n, () => 0)), [250, 500, 1000, 2000]);
  assert.deepEqual([1, 2].map((n) => stripeBackoffDelay(n, () => 0.999)), [499, 999]);
  assert.equal(stripeBackoffDelay(20, () => 0.999), 19990);
});

Deno.test("withRetry retries retryable failures only, up to maxAttempts", async () => {
  const slept: number[] = [];
  const sleep = (ms: number) => (slept.push(ms), Promise.resolve());
  let calls = 0;
  const flaky = await withStripeRetry(() => {
    calls++;
    return calls < 3 ? Promise.reject({ statusCode: 503, message: "busy" }) : Promise.resolve("ok");
  }, { sleep, random: () => 0 });
  assert.deepEqual(flaky, { ok: true, value: "ok", attempts: 3 });
  assert.deepEqual(slept, [250, 500]);

  const refused = await withStripeRetry(
    () => Promise.reject({ statusCode: 400, message: "bad" }),
    { sleep },
  );
  assert.equal(refused.ok, false);
  assert.equal(refused.attempts, 1);

  const down = await withStripeRetry(
    () => Promise.reject({ statusCode: 500, message: "down" }),
    { sleep, maxAttempts: 3 },
  );
  assert.equal(down.ok, false);
  assert.equal(down.attempts, 3);
});
