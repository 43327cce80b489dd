import assert from "node:assert/strict";
import { main } from "../cli.ts";
import { parseCount } from "./generate.ts";
import { UserError } from "../errors.ts";

Deno.test("parseCount: plain, separated and short forms; bad values are UserErrors", () => {
  assert.equal(parseCount(undefined, "--events"), undefined);
  assert.equal(parseCount("200", "--events"), 200);
  assert.equal(parseCount("10_000_000", "--events"), 10_000_000);
  assert.equal(parseCount("10M", "--events"), 10_000_000);
  assert.equal(parseCount("250k", "--events"), 250_000);
  assert.equal(parseCount("1e7", "--events"), 10_000_000);
  assert.equal(parseCount("1.5M", "--events"), 1_500_000);
  for (const bad of ["-5", "abc", "1.5", ""]) {
    assert.throws(() => parseCount(bad, "--events"), UserError, bad);
  }
});

async function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    return { value: await fn(), out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("deno task generate: seed into a store, then again (all duplicates)", async () => {
  const store = await Deno.makeTempDir({ prefix: "meterbook-cli-generate-" });
  try {
    const args = ["generate", "--scenario", "seed", "--seed", "42", "--store", store];
    const first = await quiet(() => main(args));
    assert.equal(first.value, 0, first.err);
    assert.match(first.out, /read 200, stored 200, duplicates 0, quarantined 0/);
    const second = await quiet(() => main(args));
    assert.match(second.out, /read 200, stored 0, duplicates 200, quarantined 0/);
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("deno task generate: user mistakes print one line and exit 1", async () => {
  const store = await Deno.makeTempDir({ prefix: "meterbook-cli-generate-" });
  try {
    const cases: Array<[string[], RegExp]> = [
      [["--scenario", "nope"], /Unknown scenario "nope": known scenarios are demo, scale, seed/],
      [[], /--scenario NAME is required; known scenarios: demo, scale, seed/],
      [["--scenario", "scale", "--events=-5"], /--events "-5": expected a whole number/],
      [["--scenario", "scale", "--tenants", "0"], /--tenants 0: expected a whole number from 1/],
    ];
    for (const [args, pattern] of cases) {
      const r = await quiet(() => main(["generate", ...args, "--store", store]));
      assert.equal(r.value, 1, args.join(" "));
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
