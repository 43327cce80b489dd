import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256 } from "./sha256.ts";

Deno.test("sha256: equals node:crypto for lengths 0..200 and non-ASCII text", () => {
  for (let n = 0; n <= 200; n++) {
    const text = "k".repeat(n) + (n % 7 === 0 ? "é€😀" : "");
    assert.deepEqual(sha256(text), new Uint8Array(createHash("sha256").update(text).digest()));
  }
  assert.equal(
    Array.from(sha256("abc"), (b) => b.toString(16).padStart(2, "0")).join(""),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
