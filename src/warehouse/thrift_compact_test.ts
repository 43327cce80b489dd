import assert from "node:assert/strict";
import { thriftCompact } from "./thrift_compact.ts";

Deno.test("thriftCompact: short field deltas go in the header byte, zigzag varints, stop byte", () => {
  // field 1 i32 1 -> 0x15 0x02; field 4 binary "id" -> 0x38 0x02 'i' 'd'; stop
  assert.deepEqual([...thriftCompact([[1, { i32: 1 }], [4, { binary: "id" }]])], [
    0x15,
    0x02,
    0x38,
    0x02,
    0x69,
    0x64,
    0x00,
  ]);
  // negative numbers zigzag: -1 -> 1, -64 -> 127, 64 -> 128 (two bytes)
  assert.deepEqual([...thriftCompact([[1, { i32: -1 }], [2, { i32: -64 }], [3, { i64: 64 }]])], [
    0x15,
    0x01,
    0x15,
    0x7f,
    0x16,
    0x80,
    0x01,
    0x00,
  ]);
});

Deno.test("thriftCompact: a field id 16 or more after the last takes the long form", () => {
  assert.deepEqual([...thriftCompact([[20, { i32: 0 }]])], [0x05, 40, 0x00, 0x00]);
});

Deno.test("thriftCompact: booleans live in the type nibble; absent fields are skipped", () => {
  assert.deepEqual(
    [...thriftCompact([[1, { bool: true }], [2, undefined], [3, { bool: false }]])],
    [0x11, 0x22, 0x00],
  );
});

Deno.test("thriftCompact: lists of 15 or more elements write their size as a varint", () => {
  const short = thriftCompact([[1, { list: "i32", values: [1, 2] }]]);
  assert.deepEqual([...short], [0x19, 0x25, 0x02, 0x04, 0x00]);
  const long = thriftCompact([[1, { list: "i32", values: Array(20).fill(0) }]]);
  assert.deepEqual([...long.subarray(0, 3)], [0x19, 0xf5, 20]);
  assert.equal(long.length, 3 + 20 + 1);
  const structs = thriftCompact([[1, { list: "struct", values: [[[1, { i32: 2 }]], []] }]]);
  assert.deepEqual([...structs], [0x19, 0x2c, 0x15, 0x04, 0x00, 0x00, 0x00]);
});

Deno.test("thriftCompact: refuses field ids out of order and unsafe integers", () => {
  assert.throws(
    () => thriftCompact([[2, { i32: 0 }], [1, { i32: 0 }]]),
    /must ascend \(1 after 2\)/,
  );
  assert.throws(() => thriftCompact([[1, { i64: 2 ** 60 }]]), /not a safe integer/);
});
