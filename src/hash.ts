/**
 * SHA-256 of bytes, text and files, as lowercase hex: the one helper the
 * warehouse, generation and reports share.
 *
 * @module
 */

/**
 * The SHA-256 of bytes or text, as 64 lowercase hex digits.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./hash.ts";
 * await sha256Hex("abc"); // "ba7816bf..."
 * ```
 */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The SHA-256 of a file's bytes, or `null` when it does not exist. */
export async function sha256File(path: string): Promise<string | null> {
  try {
    return await sha256Hex(await Deno.readFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
