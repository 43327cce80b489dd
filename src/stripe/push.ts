/**
 * The push: one Stripe meter event per tenant and metered charge for a month,
 * idempotent through deterministic identifiers and the push ledger, with
 * corrections (cancel + new revision) inside Stripe's 24 h window.
 *
 * Everything that varies is injected: the clock, the sleep and random source
 * of the retries, the ledger and the Stripe API (none for a dry run).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { MeterEventApi, MeterEventCancelParams, MeterEventParams } from "./client.ts";
import type { StripeFailure } from "./failure.ts";
import { meterEventIdentifier } from "./identifier.ts";
import type { PushEventRecord, PushLedger, PushMeterState } from "./ledger.ts";
import { type StripeRetryOptions, withStripeRetry } from "./retry.ts";
import { describeMonthEnd, monthEnd } from "../invoices/month_end.ts";
import { meterEventTimestamp, meterMonthBounds } from "./timestamp.ts";
import { defaultMeterValueScale, meterValue } from "./value.ts";

/** One tenant's billable quantity on one metered charge for the month. */
export interface MeterQuantity {
  tenant_id: string;
  stripe_customer_id: string;
  /** The meter (plan charge) name, e.g. `compute_units`; part of the identifier. */
  meter: string;
  /** The Stripe meter's `event_name`. */
  event_name: string;
  /** The invoice quantity, an exact decimal string. */
  quantity: string;
  /** The integer scale (default: x1000 for compute units, x1 otherwise). */
  scale?: number;
  /** The tenant's IANA time zone: its month ends at local midnight (default UTC). */
  time_zone?: string;
}

/** A row's outcome. */
export type PushStatus =
  | "sent"
  | "accepted (duplicate)"
  | "corrected"
  | "up to date"
  | "nothing to send"
  | "would send"
  | "would correct"
  | "failed"
  | "skipped"
  | "manual"
  | "held"
  | "missing";

/**
 * The statuses that make a push not ok (exit code 1): `failed`, `skipped`, `manual`, and the
 * cancels held back without `cancelMissing` (`held`: the quantity dropped to zero; `missing`: the
 * tenant-meter is not in the quantities).
 *
 * @example
 * ```ts
 * import { PUSH_NOT_OK_STATUSES } from "./push.ts";
 * PUSH_NOT_OK_STATUSES.includes("held"); // true
 * PUSH_NOT_OK_STATUSES.includes("up to date"); // false
 * ```
 */
export const PUSH_NOT_OK_STATUSES: readonly PushStatus[] = [
  "failed",
  "skipped",
  "manual",
  "held",
  "missing",
];

/** One line of the push's final table. */
export interface PushRow {
  tenant_id: string;
  meter: string;
  event_name: string;
  quantity: string;
  value: string;
  /** The meter event timestamp (Unix seconds). */
  timestamp: number;
  status: PushStatus;
  /** The identifier Stripe holds (or would hold) for this quantity. */
  identifier?: string;
  /** Why it failed, or what to do by hand. */
  detail?: string;
}

/** A request sent (or, in a dry run, that would be sent). */
export type PushRequest =
  | { method: "POST"; path: "/v1/billing/meter_events"; body: MeterEventParams }
  | { method: "POST"; path: "/v1/billing/meter_event_adjustments"; body: MeterEventCancelParams };

/** Options of {@linkcode pushUsage}. */
export interface PushOptions {
  /** `YYYY-MM`. */
  month: string;
  quantities: MeterQuantity[];
  /** The month's ledger (open it read-only for a dry run). */
  ledger: PushLedger;
  /** The instant the push starts: picks the timestamp and checks the 35-day rule. */
  now: Date;
  /** The Stripe API; omit for a dry run. */
  api?: MeterEventApi;
  /** The clock for ledger records and the 24 h windows (default: always `now`). */
  clock?: () => Date;
  /** Retries: sleep, random source, attempts and delays. */
  retry?: StripeRetryOptions;
  /** Progress/log lines (default: none). */
  log?: (line: string) => void;
  /**
   * Send a month that has not ended yet (in some tenant's time zone). Its quantities are then
   * month-to-date and need a correction once it ends, so a live push refuses it unless this is
   * set (default false); a dry run only warns.
   */
  allowOpenMonth?: boolean;
  /**
   * Stripe's invoice finalization grace period in hours (default 1, Stripe's default; at most
   * 72): usage for a billing period is billed only if it arrives before that period's invoice
   * is finalized. A push later than this after a tenant's period end still sends, with a
   * warning per tenant in {@linkcode PushResult.warnings}.
   */
  graceHours?: number;
  /**
   * Cancel an accepted event whose tenant-meter is missing from `quantities`, or whose quantity
   * dropped to zero (default false). Without it such an event is never cancelled: its row is
   * `missing` or `held` (and the push is not ok), since an invoices file written without a
   * charge's meter would otherwise cancel usage Stripe should bill.
   */
  cancelMissing?: boolean;
}

/** What a push did. */
export interface PushResult {
  month: string;
  dryRun: boolean;
  rows: PushRow[];
  /** Requests attempted (live) or that would be sent (dry run), in order, once each. */
  requests: PushRequest[];
  /** Live: requests Stripe accepted (a meter event created, or a cancel taken); 0 in a dry run. */
  accepted: number;
  /** Live: creates Stripe answered with "an event with this identifier already exists". */
  duplicates: number;
  /** Warnings for the end of the output, e.g. a push after the grace period (one per tenant). */
  warnings: string[];
  /** False when any row is failed, skipped, manual, held or missing. */
  ok: boolean;
}

/** Stripe lets an event be cancelled within 24 h of receiving it. */
export const METER_EVENT_CANCEL_WINDOW_MS = 24 * 3600_000;
/**
 * Margin kept before the 24 h window closes: no cancel, and no resend of an unsettled send
 * (Stripe keeps identifiers unique for at least 24 h only), is started later than this.
 */
export const METER_EVENT_CANCEL_MARGIN_MS = 10 * 60_000;
/** Stripe's default invoice finalization grace period, in hours. */
export const STRIPE_DEFAULT_GRACE_HOURS = 1;

const EVENTS_PATH = "/v1/billing/meter_events";
const ADJUSTMENTS_PATH = "/v1/billing/meter_event_adjustments";

/**
 * Pushes a month's quantities to Stripe (or, without `api`, plans the push
 * and returns exactly the requests it would send, changing nothing on disk).
 *
 * `quantities` is the month's complete list. Per tenant and meter: an
 * earlier unfinished cancel or send is finished first (same identifier,
 * and only until 10 minutes before Stripe's 24 h identifier window ends;
 * `manual` after); then nothing is sent when the ledger's accepted event has
 * the same value, customer and event name; a new quantity is sent as
 * revision 1 (or the next revision); a changed value, `stripe_customer_id`
 * or `event_name` is cancelled and resent as the next revision within 24 h
 * of the first send (less the 10-minute margin), and reported `manual` after
 * that. A tenant-meter the ledger holds as accepted (or sent) but missing
 * from `quantities` (charge removed or renamed, customer id dropped, or an
 * invoices file written without it), or whose quantity is now zero, is
 * cancelled the same way only with `cancelMissing`; without it nothing is
 * sent for it and its row is `missing` or `held`. A 4xx other than
 * "identifier already exists" stops that tenant; 401/403 stop the whole push.
 *
 * @example
 * ```ts
 * import { PushLedger, pushUsage } from "./mod.ts";
 * const result = await pushUsage({
 *   month: "2026-10",
 *   now: new Date("2026-11-02T00:00:00Z"),
 *   ledger: PushLedger.memory("2026-10"),
 *   quantities: [{ tenant_id: "dept_a", stripe_customer_id: "cus_A", meter: "compute_units",
 *     event_name: "meterbook_compute_units", quantity: "12.3456" }],
 * });
 * result.requests[0].body; // { event_name, payload: { stripe_customer_id: "cus_A", value: "12346" }, ... }
 * ```
 */
export async function pushUsage(options: PushOptions): Promise<PushResult> {
  const { month, ledger, now } = options;
  const dryRun = options.api === undefined;
  // Every timestamp is checked before anything is sent (a month too old is refused whole).
  const timestamps = new Map<string, number>();
  for (const q of options.quantities) {
    timestamps.set(q.time_zone ?? "", meterEventTimestamp(month, now, { timeZone: q.time_zone }));
  }
  const clock = options.clock ?? (() => now);
  const log = options.log ?? (() => {});
  const zones: Record<string, string> = {};
  for (const q of options.quantities) if (q.time_zone) zones[q.tenant_id] = q.time_zone;
  const end = monthEnd(month, zones);
  if (now.getTime() < end.end.getTime()) {
    const message = `month ${month} has not ended (it ends ${
      describeMonthEnd(end)
    }), so its quantities are month-to-date`;
    if (!dryRun && !options.allowOpenMonth) {
      throw new UserError(
        `Cannot push ${message}; a change after the push would need a correction. ` +
          "Push once the month has ended, or pass --allow-open-month",
      );
    }
    log(`warning: ${message}`);
  }
  const requests: PushRequest[] = [];
  let accepted = 0;
  let duplicates = 0;
  const api: MeterEventApi = options.api ?? {
    createMeterEvent: () => Promise.resolve({}),
    cancelMeterEvent: () => Promise.resolve({ status: "pending" }),
  };
  const retry = (label: string): StripeRetryOptions => ({
    ...options.retry,
    onRetry: (failure, attempt, delay) => {
      log(`${label}: ${describeFailure(failure)}; retry ${attempt} in ${delay} ms`);
      options.retry?.onRetry?.(failure, attempt, delay);
    },
  });

  type Outcome = { ok: true; via?: "created" | "duplicate"; status?: string } | {
    ok: false;
    failure: StripeFailure;
  };

  const send = async (record: PushEventRecord, writeIntent: boolean): Promise<Outcome> => {
    const body: MeterEventParams = {
      event_name: record.event_name,
      payload: { stripe_customer_id: record.stripe_customer_id, value: record.value },
      identifier: record.identifier,
      timestamp: record.timestamp,
    };
    if (writeIntent) await ledger.append(record);
    requests.push({ method: "POST", path: EVENTS_PATH, body });
    const result = await withStripeRetry(
      () => api.createMeterEvent(body),
      retry(record.identifier),
    );
    const at = clock().toISOString();
    if (result.ok) {
      await ledger.append({
        ...record,
        type: "accepted",
        at,
        via: "created",
        ...(result.value.livemode === undefined ? {} : { livemode: result.value.livemode }),
      });
      if (!dryRun) accepted++;
      return { ok: true, via: "created" };
    }
    if (result.failure.kind === "duplicate") {
      await ledger.append({ ...record, type: "accepted", at, via: "duplicate" });
      duplicates++;
      return { ok: true, via: "duplicate" };
    }
    if (result.failure.kind !== "retry") await ledger.append(refused(record, at, result.failure));
    return { ok: false, failure: result.failure };
  };

  const cancel = async (live: PushEventRecord, writeIntent: boolean): Promise<Outcome> => {
    const base = {
      month,
      tenant_id: live.tenant_id,
      meter: live.meter,
      event_name: live.event_name,
      identifier: live.identifier,
    };
    const body: MeterEventCancelParams = {
      event_name: live.event_name,
      type: "cancel",
      cancel: { identifier: live.identifier },
    };
    if (writeIntent) {
      await ledger.append({ ...base, type: "cancel_sending", at: clock().toISOString() });
    }
    requests.push({ method: "POST", path: ADJUSTMENTS_PATH, body });
    const result = await withStripeRetry(
      () => api.cancelMeterEvent(body),
      retry(`cancel ${live.identifier}`),
    );
    const at = clock().toISOString();
    if (result.ok) {
      // Stripe takes the cancel and applies it asynchronously (status "pending"): the record says
      // Stripe accepted it, with the status Stripe returned.
      await ledger.append({ ...base, type: "cancelled", at, status: result.value.status });
      if (!dryRun) accepted++;
      return { ok: true, status: result.value.status };
    }
    if (result.failure.kind !== "retry") {
      await ledger.append({ ...base, type: "refused", at, ...failureFields(result.failure) });
    }
    return { ok: false, failure: result.failure };
  };

  let lastFailure: StripeFailure | undefined;
  const pushOne = async (q: MeterQuantity, orphanTimestamp?: number): Promise<PushRow> => {
    const scale = q.scale ?? defaultMeterValueScale(q.meter);
    const value = meterValue(q.quantity, scale);
    const timestamp = orphanTimestamp ?? timestamps.get(q.time_zone ?? "")!;
    const row: PushRow = {
      tenant_id: q.tenant_id,
      meter: q.meter,
      event_name: q.event_name,
      quantity: q.quantity,
      value,
      timestamp,
      status: "up to date",
    };
    const fail = (failure: StripeFailure, what: string): PushRow => {
      lastFailure = failure;
      return { ...row, status: "failed", detail: `${what}: ${describeFailure(failure)}` };
    };
    const nowMs = clock().getTime();
    let state = ledger.state(q.tenant_id, q.meter);
    let resolved: "created" | "duplicate" | undefined;

    // A quantity of zero, or a tenant-meter the quantities no longer have, would cancel what
    // Stripe holds: only on request, and then nothing else (no resend either) happens first.
    const held = value === "0" && !options.cancelMissing ? heldEvent(state) : undefined;
    if (held) {
      const missing = orphanTimestamp !== undefined;
      const why = missing
        ? `this tenant-meter is not in this push's quantities (a charge removed or renamed, no ` +
          `stripe_customer_id any more, or invoices written without it)`
        : `its quantity is now 0`;
      return {
        ...row,
        status: missing ? "missing" : "held",
        identifier: held.record.identifier,
        detail: `${held.record.identifier} (value ${held.record.value} for ` +
          `${held.record.stripe_customer_id}) is ${held.how}, but ${why}: not cancelled. If ` +
          `Stripe should not bill it, rerun with --cancel-missing (Stripe cancels only within ` +
          `24 h of receiving it); if it should, write the invoices again with ` +
          `\`deno task invoice --month ${month}\` and rerun`,
      };
    }

    if (state.pendingCancel) {
      const live = state.accepted.find((r) => r.identifier === state.pendingCancel!.identifier);
      if (live) {
        const out = await cancel(live, false);
        if (!out.ok) return fail(out.failure, `finishing the cancel of ${live.identifier}`);
      }
      state = ledger.state(q.tenant_id, q.meter);
    }
    if (state.pending) {
      const pending = state.pending;
      // Stripe keeps an identifier unique for at least 24 h from its first send: a resend that
      // might arrive later could be counted twice, so none starts within the margin of the end.
      const sentAt = Date.parse(state.pendingSentAt ?? pending.at);
      if (nowMs - sentAt > METER_EVENT_CANCEL_WINDOW_MS - METER_EVENT_CANCEL_MARGIN_MS) {
        return {
          ...row,
          status: "manual",
          identifier: pending.identifier,
          detail:
            `the send of ${pending.identifier} (value ${pending.value}) at ${
              state.pendingSentAt ?? pending.at
            } has no recorded outcome and Stripe's 24 h identifier window ends within ${
              METER_EVENT_CANCEL_MARGIN_MS / 60_000
            } minutes or has passed, so a resend could be counted twice: look it up in the ` +
            `Stripe Dashboard, then append an "accepted" or "refused" line for it to ` +
            `${ledger.path ?? "the ledger"}`,
        };
      }
      const out = await send(pending, false);
      if (!out.ok) return fail(out.failure, `resending ${pending.identifier}`);
      resolved = out.via;
      state = ledger.state(q.tenant_id, q.meter);
    }
    if (state.accepted.length > 1) {
      return {
        ...row,
        status: "manual",
        detail: `the ledger holds ${state.accepted.length} accepted events (${
          state.accepted.map((r) => r.identifier).join(", ")
        }); cancel the extra ones in the Stripe Dashboard and record them as "cancelled"`,
      };
    }
    const live = state.live;
    const sentStatus = (via?: "created" | "duplicate"): PushStatus =>
      dryRun ? "would send" : via === "duplicate" ? "accepted (duplicate)" : "sent";

    const changes = live ? changesFrom(live, q, value) : [];
    if (live && changes.length === 0) {
      return {
        ...row,
        identifier: live.identifier,
        status: resolved ? sentStatus(resolved) : "up to date",
      };
    }
    const next = (revision: number): PushEventRecord => ({
      type: "sending",
      at: clock().toISOString(),
      month,
      tenant_id: q.tenant_id,
      meter: q.meter,
      event_name: q.event_name,
      identifier: meterEventIdentifier({ month, tenant_id: q.tenant_id, meter: q.meter, revision }),
      revision,
      stripe_customer_id: q.stripe_customer_id,
      quantity: q.quantity,
      value,
      scale,
      timestamp,
    });
    if (live) {
      const sentAt = state.liveSentAt ?? live.at;
      const what = orphanTimestamp === undefined
        ? changes.join("; ")
        : `no longer in this push's quantities (charge removed or renamed, or no ` +
          `stripe_customer_id any more)`;
      if (
        nowMs - Date.parse(sentAt) > METER_EVENT_CANCEL_WINDOW_MS - METER_EVENT_CANCEL_MARGIN_MS
      ) {
        return {
          ...row,
          status: "manual",
          identifier: live.identifier,
          detail: `${live.identifier} (value ${live.value} for ${live.stripe_customer_id}, sent ` +
            `${sentAt}) is ${orphanTimestamp === undefined ? "out of date: " : ""}${what}, and ` +
            `Stripe's 24 h cancel window has passed: correct it by hand in the Stripe Dashboard ` +
            `(e.g. a credit or an invoice item on the customer's next invoice), then append a ` +
            `"cancelled" line for it to ${ledger.path ?? "the ledger"}`,
        };
      }
      const out = await cancel(live, true);
      if (!out.ok) return fail(out.failure, `cancelling ${live.identifier}`);
      // a dry run's cancel never reached Stripe: no status to tell
      const cancelled = dryRun
        ? `would cancel ${live.identifier} (${what})`
        : `${live.identifier} cancelled (${what}; Stripe's cancel status: ${
          out.status ?? "not given"
        })`;
      if (value === "0") {
        return { ...row, status: dryRun ? "would correct" : "corrected", detail: cancelled };
      }
      const record = next(state.maxRevision + 1);
      const sent = await send(record, true);
      if (!sent.ok) return fail(sent.failure, `sending ${record.identifier}`);
      return {
        ...row,
        identifier: record.identifier,
        status: dryRun ? "would correct" : "corrected",
        detail: cancelled,
      };
    }
    if (value === "0") return { ...row, status: "nothing to send" };
    const record = next(state.maxRevision + 1);
    const out = await send(record, true);
    if (!out.ok) return fail(out.failure, `sending ${record.identifier}`);
    return { ...row, identifier: record.identifier, status: sentStatus(out.via) };
  };

  const work: Array<{ q: MeterQuantity; orphanTimestamp?: number }> = options.quantities.map((
    q,
  ) => ({ q }));
  work.push(...orphans(options.quantities, ledger));
  work.sort((a, b) =>
    a.q.tenant_id < b.q.tenant_id
      ? -1
      : a.q.tenant_id > b.q.tenant_id
      ? 1
      : a.q.meter < b.q.meter
      ? -1
      : a.q.meter > b.q.meter
      ? 1
      : 0
  );
  const rows: PushRow[] = [];
  let stopAll: string | undefined;
  let stoppedTenant: { id: string; why: string } | undefined;
  for (const { q, orphanTimestamp } of work) {
    const skipWhy = stopAll ??
      (stoppedTenant?.id === q.tenant_id ? stoppedTenant.why : undefined);
    if (skipWhy) {
      rows.push({
        tenant_id: q.tenant_id,
        meter: q.meter,
        event_name: q.event_name,
        quantity: q.quantity,
        value: meterValue(q.quantity, q.scale ?? defaultMeterValueScale(q.meter)),
        timestamp: orphanTimestamp ?? timestamps.get(q.time_zone ?? "")!,
        status: "skipped",
        detail: skipWhy,
      });
      continue;
    }
    lastFailure = undefined;
    const row = await pushOne(q, orphanTimestamp);
    rows.push(row);
    if (row.status === "failed") {
      if ((lastFailure as StripeFailure | undefined)?.kind === "auth") {
        stopAll = `not attempted: Stripe refused the API key (${row.detail})`;
      } else stoppedTenant = { id: q.tenant_id, why: `not attempted: ${q.meter} failed first` };
    }
  }
  const ok = rows.every((r) => !PUSH_NOT_OK_STATUSES.includes(r.status));
  const warnings = graceWarnings({
    month,
    now,
    dryRun,
    rows,
    zones: new Map(options.quantities.map((q) => [q.tenant_id, q.time_zone])),
    graceHours: options.graceHours ?? STRIPE_DEFAULT_GRACE_HOURS,
  });
  return { month, dryRun, rows, requests, accepted, duplicates, warnings, ok };
}

/** What differs between the event Stripe holds and the quantity now (empty: up to date). */
function changesFrom(live: PushEventRecord, q: MeterQuantity, value: string): string[] {
  const changes: string[] = [];
  if (live.value !== value) {
    changes.push(
      `quantity ${live.quantity} (value ${live.value}) is now ${q.quantity} (value ${value})`,
    );
  }
  if (live.stripe_customer_id !== q.stripe_customer_id) {
    changes.push(
      `stripe_customer_id ${live.stripe_customer_id} is now ${q.stripe_customer_id}`,
    );
  }
  if (live.event_name !== q.event_name) {
    changes.push(`event_name ${live.event_name} is now ${q.event_name}`);
  }
  return changes;
}

/**
 * What Stripe may hold for a tenant-meter, by the ledger: an accepted event not cancelled, or a
 * send with no recorded outcome (it may have arrived). Undefined when there is nothing to cancel.
 */
function heldEvent(
  state: PushMeterState,
): { record: PushEventRecord; how: string } | undefined {
  if (state.live) return { record: state.live, how: "accepted by Stripe (push ledger)" };
  if (state.pending) {
    return {
      record: state.pending,
      how: "sent with no recorded outcome (Stripe may hold it)",
    };
  }
  return undefined;
}

/**
 * Tenant-meters the ledger holds as sent or accepted that `quantities` no longer has: each
 * becomes a quantity of 0 (cancelled with `cancelMissing`, else reported `missing`), on the
 * event's own customer, event name, scale and timestamp.
 */
function orphans(
  quantities: readonly MeterQuantity[],
  ledger: PushLedger,
): Array<{ q: MeterQuantity; orphanTimestamp: number }> {
  const covered = new Set(quantities.map((q) => `${q.tenant_id}\u0000${q.meter}`));
  const zones = new Map(quantities.map((q) => [q.tenant_id, q.time_zone]));
  const seen = new Set<string>();
  const out: Array<{ q: MeterQuantity; orphanTimestamp: number }> = [];
  for (const r of ledger.records) {
    const key = `${r.tenant_id}\u0000${r.meter}`;
    if (covered.has(key) || seen.has(key)) continue;
    seen.add(key);
    const state = ledger.state(r.tenant_id, r.meter);
    const ref = state.live ?? state.pending;
    if (!ref) continue;
    const zone = zones.get(r.tenant_id);
    out.push({
      q: {
        tenant_id: ref.tenant_id,
        stripe_customer_id: ref.stripe_customer_id,
        meter: ref.meter,
        event_name: ref.event_name,
        quantity: "0",
        scale: ref.scale,
        ...(zone ? { time_zone: zone } : {}),
      },
      orphanTimestamp: ref.timestamp,
    });
  }
  return out;
}

/**
 * One warning per tenant that this push sent (or, dry, would send) usage to later than
 * `graceHours` after its billing period ended: Stripe may have finalized that period's
 * invoice without it.
 */
function graceWarnings(input: {
  month: string;
  now: Date;
  dryRun: boolean;
  rows: readonly PushRow[];
  zones: ReadonlyMap<string, string | undefined>;
  graceHours: number;
}): string[] {
  const sending = input.dryRun ? ["would send", "would correct"] : ["sent", "corrected"];
  const tenants = [
    ...new Set(input.rows.filter((r) => sending.includes(r.status)).map((r) => r.tenant_id)),
  ];
  const warnings: string[] = [];
  for (const tenant of tenants) {
    const end = meterMonthBounds(input.month, input.zones.get(tenant)).end * 1000;
    const late = input.now.getTime() - end;
    if (late <= input.graceHours * 3600_000) continue;
    const hours = Math.floor(late / 360_000) / 10;
    const corrects = input.rows.some((r) =>
      r.tenant_id === tenant && (r.status === "corrected" || r.status === "would correct")
    );
    const verb = input.dryRun
      ? `a live push now would ${corrects ? "correct" : "send"}`
      : `this push ${corrects ? "corrected" : "sent"}`;
    warnings.push(
      `${tenant}: ${verb} ` +
        `${input.month}'s usage ${hours} h after its billing period ended ` +
        `(${new Date(end).toISOString()}), later than Stripe's ${input.graceHours} h invoice ` +
        `finalization grace period (--grace-hours): the usage may land after Stripe finalized ` +
        `that period's invoice; check ${tenant}'s ${input.month} invoice in Stripe`,
    );
  }
  return warnings;
}

function failureFields(failure: StripeFailure) {
  return {
    ...(failure.http_status === undefined ? {} : { http_status: failure.http_status }),
    ...(failure.code === undefined ? {} : { code: failure.code }),
    message: failure.message,
  };
}

function refused(record: PushEventRecord, at: string, failure: StripeFailure) {
  return {
    type: "refused" as const,
    at,
    month: record.month,
    tenant_id: record.tenant_id,
    meter: record.meter,
    event_name: record.event_name,
    identifier: record.identifier,
    ...failureFields(failure),
  };
}

/** One line about a failure: HTTP status, Stripe type/code and message. */
export function describeFailure(failure: StripeFailure): string {
  const head = failure.http_status === undefined
    ? (failure.type ?? "error")
    : `HTTP ${failure.http_status}${failure.type ? ` ${failure.type}` : ""}`;
  return `${head}${failure.code ? ` (${failure.code})` : ""}: ${failure.message}`;
}
