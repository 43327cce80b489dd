/**
 * Deterministic event ids for seeded jobs: the id is a hash of everything
 * that makes the job (and so its event) what it is, so that running the same
 * job again gives the same id (a duplicate the store skips) while any change
 * of input gives a new one.
 *
 * @module
 */
import { sha256Hex } from "../hash.ts";

/** JSON with object keys sorted at every level, so equal inputs give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
  });
}

/**
 * The id of a job's event derived from its inputs: the SHA-256 of their
 * canonical JSON, formatted as a version-8 (custom) UUID. `undefined` fields
 * are dropped, so pass resolved values (defaults applied) when a default and
 * its explicit value should give the same id.
 *
 * @example
 * ```ts
 * import { derivedEventId } from "./derived_id.ts";
 * const a = await derivedEventId({ tenant: "dept_a", n_ens: 200, ts: "2026-10-03T14:05:09.000Z" });
 * const b = await derivedEventId({ ts: "2026-10-03T14:05:09.000Z", n_ens: 200, tenant: "dept_a" });
 * a === b; // true: key order does not matter
 * ```
 */
export async function derivedEventId(inputs: unknown): Promise<string> {
  const hex = await sha256Hex(`meterbook-event-id:v1:${canonicalJson(inputs)}`);
  const variant = "89ab"[parseInt(hex[16], 16) & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${
    hex.slice(17, 20)
  }-${hex.slice(20, 32)}`;
}
