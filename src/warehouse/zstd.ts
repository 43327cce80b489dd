/**
 * zstd compression from `node:zlib` (Deno 2.9 has it; the Node types Deno
 * bundles do not declare it yet, hence the checked cast).
 *
 * @module
 */
import * as zlib from "node:zlib";

const z = zlib as unknown as {
  zstdCompressSync?: (bytes: Uint8Array, options: object) => Uint8Array;
  constants: { ZSTD_c_compressionLevel?: number };
};

/**
 * Compresses `bytes` with zstd at `level` into a buffer of its own (offset
 * 0, exactly its length, so it can be transferred to another thread).
 *
 * @example
 * ```ts
 * import { zstdCompressSync } from "./zstd.ts";
 * zstdCompressSync(new Uint8Array(1000), 1).length < 100; // true
 * ```
 */
export function zstdCompressSync(bytes: Uint8Array, level: number): Uint8Array {
  const param = z.constants.ZSTD_c_compressionLevel;
  if (typeof z.zstdCompressSync !== "function" || param === undefined) {
    throw new Error("meterbook: this Deno's node:zlib has no zstd; run it with Deno 2.9 or later");
  }
  const out = z.zstdCompressSync(bytes, { params: { [param]: level } });
  if (out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) {
    return new Uint8Array(out.buffer, 0, out.byteLength);
  }
  return new Uint8Array(out); // a Buffer from Node's pool: copy it out
}
