/**
 * The push ledger: what meterbook sent to Stripe and what Stripe accepted,
 * one append-only NDJSON file per month in `<store>/ledger/`
 * (`stripe-YYYY-MM.ndjson`), every line fsynced before the next request.
 *
 * Record types, in the order a push writes them:
 * - `sending`: about to create a meter event (written BEFORE the request, so
 *   a crash leaves a trace and the rerun resends the same identifier);
 * - `accepted`: Stripe created it (`via: "created"`) or answered that an
 *   event with this identifier already exists (`via: "duplicate"`);
 * - `refused`: Stripe refused it with a 4xx that is not a duplicate;
 * - `cancel_sending` / `cancelled`: a meter event adjustment (cancel) of an
 *   accepted identifier, for a correction. `cancelled` means Stripe accepted
 *   the cancel; its `status` is the one Stripe returned (`pending`: Stripe
 *   applies adjustments asynchronously, and the Dashboard shows when done).
 *
 * The ledger never holds the API key. To settle an event by hand (for
 * example after checking the Stripe Dashboard), append an `accepted` or
 * `refused` line for its identifier.
 *
 * @module
 */
import { join } from "node:path";

/** Common fields of every ledger record. */
interface RecordBase {
  /** When the record was written (ISO 8601, from the injected clock). */
  at: string;
  month: string;
  tenant_id: string;
  meter: string;
  event_name: string;
  identifier: string;
}

/** A meter event about to be sent, or accepted. */
export interface PushEventRecord extends RecordBase {
  type: "sending" | "accepted";
  revision: number;
  stripe_customer_id: string;
  /** The invoice quantity (decimal string). */
  quantity: string;
  /** The integer value sent (quantity x scale, rounded half away from zero). */
  value: string;
  scale: number;
  /** Unix seconds. */
  timestamp: number;
  /** For `accepted`: how Stripe answered. */
  via?: "created" | "duplicate";
  livemode?: boolean;
}

/** A create or cancel Stripe refused. */
export interface PushRefusedRecord extends RecordBase {
  type: "refused";
  http_status?: number;
  code?: string;
  message: string;
}

/** A cancel about to be sent, or done. */
export interface PushCancelRecord extends RecordBase {
  type: "cancel_sending" | "cancelled";
  /** For `cancelled`: the adjustment status Stripe returned (normally `pending`). */
  status?: string;
}

/** One ledger line. */
export type PushLedgerRecord = PushEventRecord | PushRefusedRecord | PushCancelRecord;

/** What the ledger says about one tenant's meter in one month. */
export interface PushMeterState {
  /** The accepted event that is not cancelled (the one Stripe counts), if any. */
  live?: PushEventRecord;
  /** When the live identifier was first sent (the start of Stripe's 24 h cancel window). */
  liveSentAt?: string;
  /** A `sending` record with no outcome yet (a crash or exhausted retries). */
  pending?: PushEventRecord;
  /** When the pending identifier was first sent (the start of Stripe's 24 h identifier window). */
  pendingSentAt?: string;
  /** A `cancel_sending` with no `cancelled` yet. */
  pendingCancel?: PushCancelRecord;
  /** The highest revision ever sent. */
  maxRevision: number;
  /** Every accepted, not cancelled event (normally one). */
  accepted: PushEventRecord[];
}

/** Where a month's ledger lives. */
export function pushLedgerPath(store: string, month: string): string {
  return join(store, "ledger", `stripe-${month}.ndjson`);
}

/**
 * A month's push ledger: its records in memory, appends fsynced to disk
 * (or kept in memory only, for a dry run).
 *
 * @example
 * ```ts
 * import { PushLedger } from "./ledger.ts";
 * const store = await Deno.makeTempDir();
 * const ledger = await PushLedger.open(store, "2026-10");
 * ledger.state("dept_a", "compute_units").maxRevision; // 0
 * ```
 */
export class PushLedger {
  readonly month: string;
  /** The file, or undefined for an in-memory (dry-run) ledger. */
  readonly path: string | undefined;
  readonly records: PushLedgerRecord[];
  /** Lines that could not be parsed (e.g. a torn last line after a crash). */
  readonly skipped: number;

  private constructor(
    month: string,
    path: string | undefined,
    records: PushLedgerRecord[],
    skipped: number,
  ) {
    this.month = month;
    this.path = path;
    this.records = records;
    this.skipped = skipped;
  }

  /**
   * Reads a month's ledger. With `readOnly`, appends stay in memory (a dry
   * run sees the state it would reach without touching the disk).
   */
  static async open(
    store: string,
    month: string,
    options: { readOnly?: boolean } = {},
  ): Promise<PushLedger> {
    const path = pushLedgerPath(store, month);
    let text = "";
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const records: PushLedgerRecord[] = [];
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        const record = JSON.parse(line) as PushLedgerRecord;
        if (record && typeof record === "object" && typeof record.type === "string") {
          records.push(record);
        } else skipped++;
      } catch {
        skipped++;
      }
    }
    if (!options.readOnly && text !== "" && !text.endsWith("\n")) {
      // A torn last line (crash mid-write): end it so the next record starts a new line.
      await appendDurably(path, "\n");
    }
    return new PushLedger(month, options.readOnly ? undefined : path, records, skipped);
  }

  /** An empty in-memory ledger (tests, dry runs without a store). */
  static memory(month: string, records: PushLedgerRecord[] = []): PushLedger {
    return new PushLedger(month, undefined, [...records], 0);
  }

  /** Appends one record; on disk, the line is fsynced before this resolves. */
  async append(record: PushLedgerRecord): Promise<void> {
    if (this.path) {
      await Deno.mkdir(join(this.path, ".."), { recursive: true });
      await appendDurably(this.path, JSON.stringify(record) + "\n");
    }
    this.records.push(record);
  }

  /** What the records say about one tenant's meter. */
  state(tenant_id: string, meter: string): PushMeterState {
    const mine = this.records.filter((r) => r.tenant_id === tenant_id && r.meter === meter);
    const firstSent = new Map<string, string>();
    const outcome = new Set<string>();
    const accepted = new Map<string, PushEventRecord>();
    const cancelled = new Set<string>();
    const cancelSending = new Map<string, PushCancelRecord>();
    let maxRevision = 0;
    let lastSending: PushEventRecord | undefined;
    for (const r of mine) {
      switch (r.type) {
        case "sending":
          if (!firstSent.has(r.identifier)) firstSent.set(r.identifier, r.at);
          maxRevision = Math.max(maxRevision, r.revision);
          lastSending = r;
          break;
        case "accepted":
          maxRevision = Math.max(maxRevision, r.revision);
          outcome.add(r.identifier);
          if (!cancelled.has(r.identifier)) accepted.set(r.identifier, r);
          break;
        case "refused":
          // Refuses the pending send, or the pending cancel, of this identifier.
          if (cancelSending.has(r.identifier)) cancelSending.delete(r.identifier);
          else outcome.add(r.identifier);
          break;
        case "cancel_sending":
          cancelSending.set(r.identifier, r);
          break;
        case "cancelled":
          cancelled.add(r.identifier);
          accepted.delete(r.identifier);
          cancelSending.delete(r.identifier);
          break;
      }
    }
    const live = [...accepted.values()].sort((a, b) => a.revision - b.revision);
    const top = live.at(-1);
    const pending = lastSending && !outcome.has(lastSending.identifier) ? lastSending : undefined;
    return {
      live: top,
      liveSentAt: top ? firstSent.get(top.identifier) ?? top.at : undefined,
      pending,
      pendingSentAt: pending ? firstSent.get(pending.identifier) : undefined,
      pendingCancel: [...cancelSending.values()][0],
      maxRevision,
      accepted: live,
    };
  }
}

async function appendDurably(path: string, text: string): Promise<void> {
  const file = await Deno.open(path, { append: true, create: true });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
}
