/**
 * The metered HTTP API (`deno task serve`): the Hono app with its injected
 * dependencies, the EnKF job route, month-to-date usage pricing, and the
 * server with graceful shutdown.
 *
 * @example
 * ```ts
 * import { startApiServer } from "./mod.ts";
 * const server = await startApiServer({ store: "data/events", plans: "data/plans.json",
 *   tenants: "data/tenants.json", port: 0 });
 * await server.shutdown();
 * ```
 *
 * @module
 */
export * from "./app.ts";
export * from "./enkf.ts";
export * from "./enkf_pool.ts";
export * from "./listen.ts";
export * from "./local_month.ts";
export * from "./usage.ts";
export * from "./server.ts";
