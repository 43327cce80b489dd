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
export * from "./warehouse/mod.ts";
export * from "./generate/mod.ts";
export * from "./money/mod.ts";
export * from "./pricing/mod.ts";
export * from "./invoices/mod.ts";
export * from "./stripe/mod.ts";
export * from "./browser/mod.ts";
export * from "./compare/mod.ts";
export * from "./charts/mod.ts";
export * from "./reports/mod.ts";
export * from "./enkf/mod.ts";
export * from "./metering/mod.ts";
export * from "./api/mod.ts";
