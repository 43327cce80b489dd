/**
 * meterbook's library API, the one notebooks import: usage events, the
 * warehouse, generation, money and pricing, invoices, comparison, charts,
 * reports, EnKF simulations, metering, and the Stripe push.
 *
 * @example
 * ```ts
 * import * as mb from "./mod.ts";
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export * from "./events/mod.ts";
