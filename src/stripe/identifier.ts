/**
 * Deterministic meter event identifiers: the same tenant, meter, month and
 * revision always give the same identifier, so a resend is recognised by
 * Stripe (which keeps identifiers unique for at least 24 hours) and by the
 * local push ledger.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Stripe's limit on a meter event `identifier`. */
export const MAX_METER_EVENT_IDENTIFIER_LENGTH = 100;

/** What an identifier is made of. */
export interface MeterEventIdentifierParts {
  /** `YYYY-MM`. */
  month: string;
  tenant_id: string;
  /** The meter (the plan's metered charge), e.g. `compute_units`. */
  meter: string;
  /** 1 for the first push, +1 for every correction. */
  revision: number;
}

/**
 * The identifier `mb-{month}-{tenant}-{meter}-r{revision}`. When that would
 * exceed {@linkcode MAX_METER_EVENT_IDENTIFIER_LENGTH}, or when the tenant or meter
 * contains "-" (which would make the split ambiguous), the tenant and meter part is
 * replaced by its truncation plus `~` and a SHA-256 prefix, still deterministic.
 *
 * @example
 * ```ts
 * import { meterEventIdentifier } from "./identifier.ts";
 * meterEventIdentifier({ month: "2026-10", tenant_id: "dept_a", meter: "compute_units", revision: 1 });
 * // "mb-2026-10-dept_a-compute_units-r1"
 * ```
 */
export function meterEventIdentifier(parts: MeterEventIdentifierParts): string {
  if (!Number.isSafeInteger(parts.revision) || parts.revision < 1) {
    throw new Error(`meter event revision must be an integer >= 1, got ${parts.revision}`);
  }
  const head = `mb-${parts.month}-`;
  const tail = `-r${parts.revision}`;
  const middle = `${parts.tenant_id}-${parts.meter}`;
  const plain = head + middle + tail;
  // "-" joins tenant and meter, so a "-" inside either would be ambiguous ("acme-eu" + "compute"
  // vs "acme" + "eu-compute"): such names take the hashed form ("~" never occurs in a plain one).
  const unambiguous = !parts.tenant_id.includes("-") && !parts.meter.includes("-");
  if (unambiguous && plain.length <= MAX_METER_EVENT_IDENTIFIER_LENGTH) return plain;
  const hash = createHash("sha256").update(`${parts.tenant_id}\u0000${parts.meter}`).digest("hex")
    .slice(0, 16);
  const room = MAX_METER_EVENT_IDENTIFIER_LENGTH - head.length - tail.length - hash.length - 1;
  return `${head}${middle.slice(0, room)}~${hash}${tail}`;
}
