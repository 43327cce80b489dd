import assert from "node:assert/strict";
import { createUuidV7, uuidV7Time } from "./uuidv7.ts";

function seeded(seed: number) {
  return (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 48271) % 2147483647;
      bytes[i] = seed & 255;
    }
  };
}

Deno.test("uuidv7: RFC 9562 layout, the clock's millisecond, version 7 and variant 10", () => {
  const t = Date.UTC(2026, 9, 1, 12, 0, 0, 123);
  const id = createUuidV7({ now: () => t, random: seeded(7) })();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(uuidV7Time(id), t);
});

Deno.test("uuidv7: strictly increasing within a millisecond and across a counter overflow", () => {
  let t = Date.UTC(2026, 9, 1);
  const next = createUuidV7({ now: () => t, random: seeded(3) });
  const ids: string[] = [];
  for (let i = 0; i < 10_000; i++) ids.push(next()); // > 4096 ids in one ms
  t += 1; // the clock catches up with the borrowed milliseconds
  for (let i = 0; i < 100; i++) ids.push(next());
  t -= 50; // the clock goes backwards
  for (let i = 0; i < 100; i++) ids.push(next());
  const sorted = [...ids].sort();
  assert.deepEqual(ids, sorted);
  assert.equal(new Set(ids).size, ids.length);
});

Deno.test("uuidv7: same clock and seed give the same ids", () => {
  const a = createUuidV7({ now: () => 1_700_000_000_000, random: seeded(42) });
  const b = createUuidV7({ now: () => 1_700_000_000_000, random: seeded(42) });
  for (let i = 0; i < 300; i++) assert.equal(a(), b());
});
