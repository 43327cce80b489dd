/**
 * The Stripe push: a month's billable usage sent as Stripe Billing meter
 * events, idempotently (deterministic identifiers and an fsynced push
 * ledger), safely (dry run by default; live keys only with `--live`), with
 * corrections inside Stripe's 24 h window, and a reconciliation of invoices
 * against what Stripe accepted.
 *
 * @example
 * ```ts
 * import { PushLedger, pushUsage } from "./mod.ts";
 * const result = await pushUsage({
 *   month: "2026-10",
 *   now: new Date("2026-11-02T00:00:00Z"),
 *   ledger: PushLedger.memory("2026-10"),
 *   quantities: [],
 * });
 * result.dryRun; // true: no api given
 * ```
 *
 * @module
 */
export * from "./client.ts";
export * from "./failure.ts";
export * from "./identifier.ts";
export * from "./keys.ts";
export * from "./ledger.ts";
export * from "./push.ts";
export * from "./retry.ts";
export * from "./timestamp.ts";
export * from "./value.ts";
export * from "./reconcile.ts";
export * from "./source.ts";
export * from "./invoice_file.ts";
export * from "./table.ts";
