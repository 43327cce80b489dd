import assert from "node:assert/strict";
import {
  createUuidV7,
  createUuidV7Stamps,
  formatUuidV7,
  type UuidV7Stamp,
  uuidV7Time,
} from "./uuidv7.ts";

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

Deno.test("uuidv7: a stamp formatted later is the id createUuidV7 gives for the same clock and seed", () => {
  let t = Date.UTC(2026, 9, 1);
  const ids = createUuidV7({ now: () => t, random: seeded(9) });
  const stamps = createUuidV7Stamps({ now: () => t, random: seeded(9) });
  const kept: UuidV7Stamp[] = [];
  const expected: string[] = [];
  for (let i = 0; i < 6000; i++) { // past one pool of random bytes and one counter overflow
    if (i % 5000 === 0) t += 1; // 5,000 ids in one ms: the counter overflows
    expected.push(ids());
    kept.push(stamps());
  }
  assert.equal(kept[4999].ms, Date.UTC(2026, 9, 1) + 2); // the overflow borrowed a millisecond
  assert.deepEqual(kept.map(formatUuidV7), expected); // formatting after the pool was refilled
  assert.equal(
    formatUuidV7({ ms: 0xffffffffffff, counter: 0xfff, randHi: 0xffffffff, randLo: 0xffffffff }),
    "ffffffff-ffff-7fff-bfff-ffffffffffff",
  );
  assert.equal(
    formatUuidV7({ ms: Date.UTC(2026, 9, 1), counter: 0, randHi: 0, randLo: 1 }),
    "01a0f4c2-c400-7000-8000-000000000001",
  );
});
