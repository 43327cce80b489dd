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
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }
  /** Zigzag varint of a safe integer. */
  zigzag(n: number): void {
    if (!Number.isSafeInteger(n)) throw new RangeError(`thrift: ${n} is not a safe integer`);
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
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
