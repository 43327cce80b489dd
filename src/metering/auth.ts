/**
 * API-key authentication for the metering middleware: `Authorization: Bearer
 * <key>`, keys stored only as SHA-256 hashes (in the tenants file's
 * `api_key_sha256` field or the `METERBOOK_API_KEYS` environment variable),
 * compared in constant time.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { sha256 } from "./sha256.ts";
import { TENANT_ID_PATTERN } from "../events/mod.ts";
import { UserError } from "../errors.ts";

/** One tenant's stored key hash. */
export interface ApiKeyEntry {
  tenant_id: string;
  /** SHA-256 of the key, 64 hex digits. */
  sha256: string;
}

/** Resolves an `Authorization` header to a tenant id, or `null` when refused. */
export interface Authenticator {
  authenticate(authorization: string | null | undefined): string | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * SHA-256 of an API key as 64 lowercase hex digits: what the tenants file and
 * `METERBOOK_API_KEYS` store.
 *
 * @example
 * ```ts
 * import { hashApiKey } from "./auth.ts";
 * hashApiKey("mb_demo_dept_a"); // "e328f4de80a1d6e1dadf83af5106b25f65f29b71382f4e6ac1333e050b1916c5"
 * ```
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Options of {@linkcode ApiKeyAuth}. */
export interface ApiKeyAuthOptions {
  /**
   * How many accepted `Authorization` headers to remember (default 4096; at most two per
   * key, `Bearer <key>` and `bearer <key>`); when that many are held, the set is cleared and
   * starts again. 0 remembers none (every request hashes its key).
   */
  rememberAccepted?: number;
}

/**
 * Authenticates bearer keys against stored SHA-256 hashes. The presented key
 * is hashed and compared with every stored hash, always all of them and byte
 * by byte without an early exit, so the time taken does not depend on which
 * key (if any) matched or how much of it did.
 *
 * Keys it accepted are remembered (up to `rememberAccepted`, then it starts
 * again) by the whole `Authorization` header they came in, when it is plain
 * (`Bearer <key>` or `bearer <key>`, no extra spaces), so a client's next
 * request does not parse or hash its key again: they are held in memory in
 * plain text, as presented, for the life of the process (or until the set
 * is cleared). Refused keys are never remembered; other spellings of a
 * valid key are accepted and hashed every time.
 *
 * @example
 * ```ts
 * import { ApiKeyAuth, hashApiKey } from "./auth.ts";
 * const auth = new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("secret-a") }]);
 * auth.authenticate("Bearer secret-a"); // "dept_a"
 * auth.authenticate("Bearer wrong"); // null
 * ```
 */
export class ApiKeyAuth implements Authenticator {
  readonly #tenants: string[] = [];
  readonly #hashes: Uint8Array[] = [];
  /**
   * Plain `Authorization` headers recently accepted -> their tenant, so that
   * a client's every request does not parse and hash its key again (SHA-256
   * in JS would be most of the middleware's cost). Only accepted keys are
   * kept: a hit tells a caller nothing the 200 would not, and refused keys
   * always pay the full constant-time scan.
   */
  readonly #accepted = new Map<string, string>();
  readonly #remember: number;

  /** Checks and keeps the entries; a malformed entry is a {@linkcode UserError}. */
  constructor(entries: Iterable<ApiKeyEntry>, options: ApiKeyAuthOptions = {}) {
    const remember = options.rememberAccepted ?? ACCEPTED_CACHE_SIZE;
    if (!Number.isSafeInteger(remember) || remember < 0) {
      throw new UserError(
        `ApiKeyAuth rememberAccepted: expected an integer >= 0, got ${String(remember)}`,
      );
    }
    this.#remember = remember;
    for (const { tenant_id, sha256 } of entries) {
      if (!TENANT_ID_PATTERN.test(tenant_id)) {
        throw new UserError(`API key entry: tenant id ${JSON.stringify(tenant_id)} is not valid`);
      }
      const hex = sha256.toLowerCase();
      if (!HEX64.test(hex)) {
        throw new UserError(
          `API key of tenant "${tenant_id}": expected a SHA-256 as 64 hex digits, got ${
            JSON.stringify(sha256)
          }; compute it with: printf %s "$KEY" | sha256sum`,
        );
      }
      this.#tenants.push(tenant_id);
      this.#hashes.push(hexBytes(hex));
    }
  }

  /** How many keys are configured. */
  get size(): number {
    return this.#hashes.length;
  }

  /** How many accepted headers are remembered now (at most `rememberAccepted`). */
  get remembered(): number {
    return this.#accepted.size;
  }

  /** The tenant whose key is in the `Authorization: Bearer` header, or `null`. */
  authenticate(authorization: string | null | undefined): string | null {
    if (!authorization) return null;
    // remembered by the whole header: a client's every request sends the same one
    const known = this.#accepted.get(authorization);
    if (known !== undefined) return known;
    if (authorization.length < 8) return null;
    const scheme = authorization.slice(0, 7);
    if (scheme !== "Bearer " && scheme.toLowerCase() !== "bearer ") return null;
    const key = authorization.slice(7).trim();
    if (key.length === 0 || key.length > 512) return null;
    const digest = sha256(key);
    let found = -1;
    for (let k = 0; k < this.#hashes.length; k++) {
      const stored = this.#hashes[k];
      let diff = 0;
      for (let i = 0; i < 32; i++) diff |= stored[i] ^ digest[i];
      // branch-free select: found = k when diff === 0
      const match = ((diff - 1) >>> 31) & 1; // 1 iff diff === 0
      found = match ? k : found;
    }
    if (found < 0) return null;
    const tenant = this.#tenants[found];
    // only the two plain spellings are kept ("Bearer <key>", "bearer <key>", nothing to trim), so
    // that one client cannot fill the set with spellings of its key and evict everyone else's
    const plain = authorization.length === 7 + key.length &&
      (scheme === "Bearer " || scheme === "bearer ");
    if (this.#remember === 0 || !plain) return tenant;
    if (this.#accepted.size >= this.#remember) this.#accepted.clear();
    this.#accepted.set(authorization, tenant);
    return tenant;
  }
}

/** How many accepted keys {@linkcode ApiKeyAuth} remembers by default (then it starts again). */
const ACCEPTED_CACHE_SIZE = 4096;

/**
 * Parses `METERBOOK_API_KEYS`: `tenant:sha256hex,tenant:sha256hex,...`.
 *
 * @example
 * ```ts
 * import { parseApiKeysEnv } from "./auth.ts";
 * parseApiKeysEnv("dept_a:" + "0".repeat(64)); // [{ tenant_id: "dept_a", sha256: "000…" }]
 * ```
 */
export function parseApiKeysEnv(value: string | undefined): ApiKeyEntry[] {
  if (!value || value.trim() === "") return [];
  return value.split(",").map((part) => part.trim()).filter((part) => part !== "").map(
    (part) => {
      const at = part.indexOf(":");
      if (at <= 0) {
        throw new UserError(
          `METERBOOK_API_KEYS: entry ${
            JSON.stringify(part)
          } is not "tenant:sha256hex"; example: METERBOOK_API_KEYS="dept_a:$(printf %s KEY | sha256sum | cut -c1-64)"`,
        );
      }
      return { tenant_id: part.slice(0, at), sha256: part.slice(at + 1) };
    },
  );
}

/**
 * Reads `api_key_sha256` from each tenant of a tenants file (JSON `{ tenants:
 * { id: {...} } }`, or YAML with the same shape). Tenants without a key are
 * skipped; a missing file gives no keys.
 *
 * @example
 * ```ts
 * import { readTenantKeys } from "./auth.ts";
 * const entries = await readTenantKeys("data/tenants.json");
 * ```
 */
export async function readTenantKeys(path: string): Promise<ApiKeyEntry[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(path) ? (await import("yaml")).parse(text) : JSON.parse(text);
  } catch (error) {
    throw new UserError(`Cannot read tenants file "${path}": ${(error as Error).message}`);
  }
  const tenants = (doc as { tenants?: Record<string, Record<string, unknown>> })?.tenants ?? {};
  const out: ApiKeyEntry[] = [];
  for (const [id, tenant] of Object.entries(tenants)) {
    const sha = tenant?.api_key_sha256;
    if (typeof sha === "string") out.push({ tenant_id: String(tenant.id ?? id), sha256: sha });
  }
  return out;
}

/**
 * The keys of the tenants file plus those of `METERBOOK_API_KEYS`. A tenant
 * may have several keys (one in the file, others in the environment), which
 * is how a key is rotated without downtime.
 *
 * @example
 * ```ts
 * import { loadApiKeyAuth } from "./auth.ts";
 * const auth = await loadApiKeyAuth({ tenants: "data/tenants.json", env: Deno.env.toObject() });
 * ```
 */
export async function loadApiKeyAuth(
  options: { tenants?: string; env?: Record<string, string | undefined> } = {},
): Promise<ApiKeyAuth> {
  const entries = options.tenants ? await readTenantKeys(options.tenants) : [];
  entries.push(...parseApiKeysEnv(options.env?.METERBOOK_API_KEYS));
  return new ApiKeyAuth(entries);
}
