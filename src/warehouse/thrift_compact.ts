/**
 * A writer for Apache Thrift's compact protocol, the encoding of Parquet's
 * page headers and file footer: only what those need (i32, i64, bool,
 * binary, lists and nested structs).
 *
 * @module
 */

/** A Thrift field value. Integers are JS numbers (i64 up to 2^53). */
export type ThriftValue =
  | { readonly i32: number }
  | { readonly i64: number }
  | { readonly bool: boolean }
  | { readonly binary: Uint8Array | string }
  | { readonly struct: ThriftStruct }
  | { readonly list: "i32"; readonly values: readonly number[] }
  | { readonly list: "binary"; readonly values: readonly string[] }
  | { readonly list: "struct"; readonly values: readonly ThriftStruct[] };

/** A struct: its fields by id (fields left out are absent, as optional fields may be). */
export type ThriftStruct = ReadonlyArray<readonly [id: number, value: ThriftValue | undefined]>;

/**
 * An unsigned LEB128 varint (Thrift's and Parquet's), of a non-negative
 * safe integer or a BigInt.
 *
 * @example
 * ```ts
 * import { varintBytes } from "./thrift_compact.ts";
 * varintBytes(300); // [0xac, 0x02]
 * ```
 */
export function varintBytes(v: number | bigint): number[] {
  const out: number[] = [];
  if (typeof v === "bigint") {
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return out;
  }
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/**
 * Zigzag of a safe integer: 2v, or -2v - 1 for negatives. Below -2^52 that
 * odd number is past 2^53, where a double cannot hold it: a BigInt then.
 *
 * @example
 * ```ts
 * import { zigzag } from "./thrift_compact.ts";
 * zigzag(-1); // 1
 * ```
 */
export function zigzag(v: number): number | bigint {
  return v >= 0 ? v * 2 : v > -(2 ** 52) ? -v * 2 - 1 : -BigInt(v) * 2n - 1n;
}

const TYPE = { true: 1, false: 2, i32: 5, i64: 6, binary: 8, list: 9, struct: 12 } as const;
const encoder = new TextEncoder();

/** Growable byte output. */
class Bytes {
  buf = new Uint8Array(256);
  length = 0;
  #room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): void {
    this.#room(1);
    this.buf[this.length++] = b;
  }
  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** Unsigned varint of a non-negative safe integer. */
  varint(n: number): void {
    for (const b of varintBytes(n)) this.byte(b);
  }
  /** Zigzag varint of a safe integer. */
  zigzag(n: number): void {
    if (!Number.isSafeInteger(n)) throw new RangeError(`thrift: ${n} is not a safe integer`);
    for (const b of varintBytes(zigzag(n))) this.byte(b);
  }
}

function typeOf(value: ThriftValue): number {
  if ("i32" in value) return TYPE.i32;
  if ("i64" in value) return TYPE.i64;
  if ("bool" in value) return value.bool ? TYPE.true : TYPE.false;
  if ("binary" in value) return TYPE.binary;
  if ("struct" in value) return TYPE.struct;
  return TYPE.list;
}

function writeBinary(out: Bytes, value: Uint8Array | string): void {
  const b = typeof value === "string" ? encoder.encode(value) : value;
  out.varint(b.length);
  out.bytes(b);
}

function writeStruct(out: Bytes, fields: ThriftStruct): void {
  let last = 0;
  for (const [id, value] of fields) {
    if (value === undefined) continue;
    if (id <= last) throw new RangeError(`thrift: field ids must ascend (${id} after ${last})`);
    const type = typeOf(value);
    const delta = id - last;
    if (delta <= 15) {
      out.byte((delta << 4) | type);
    } else {
      out.byte(type);
      out.zigzag(id);
    }
    last = id;
    if ("i32" in value) out.zigzag(value.i32);
    else if ("i64" in value) out.zigzag(value.i64);
    else if ("bool" in value) continue; // the value is in the type nibble
    else if ("binary" in value) writeBinary(out, value.binary);
    else if ("struct" in value) writeStruct(out, value.struct);
    else {
      const elem = value.list === "i32"
        ? TYPE.i32
        : value.list === "binary"
        ? TYPE.binary
        : TYPE.struct;
      const n = value.values.length;
      if (n < 15) {
        out.byte((n << 4) | elem);
      } else {
        out.byte(0xf0 | elem);
        out.varint(n);
      }
      for (const v of value.values) {
        if (value.list === "i32") out.zigzag(v as number);
        else if (value.list === "binary") writeBinary(out, v as string);
        else writeStruct(out, v as ThriftStruct);
      }
    }
  }
  out.byte(0); // stop
}

/**
 * Encodes a struct in Thrift's compact protocol.
 *
 * @example
 * ```ts
 * import { thriftCompact } from "./thrift_compact.ts";
 * thriftCompact([[1, { i32: 1 }], [4, { binary: "id" }]]); // Uint8Array [0x15, 0x02, 0x38, 0x02, 0x69, 0x64, 0x00]
 * ```
 */
export function thriftCompact(fields: ThriftStruct): Uint8Array {
  const out = new Bytes();
  writeStruct(out, fields);
  return out.buf.slice(0, out.length);
}
