/**
 * The metered HTTP API as a Hono app, with its dependencies injected (the
 * server in `server.ts` wires the real ones): `/healthz` and `/metrics`
 * unmetered, every `/v1/*` route behind the metering middleware.
 *
 * @module
 */
import { Hono } from "hono";
import { meter, type MeterVariables } from "../metering/middleware.ts";
import type { MeterCore } from "../metering/core.ts";
import type { QueueMetrics } from "../metering/queue.ts";
import type { UsageEvent } from "../events/mod.ts";
import { UserError } from "../errors.ts";
import { isMonth } from "../events/month.ts";
import { localMonthOf } from "./local_month.ts";
import { EnkfPoolBusyError } from "./enkf_pool.ts";

/** The body of `POST /v1/enkf`: every field optional, any other field refused. */
export interface ApiEnkfRequest {
  /**
   * Case counts to assimilate, each finite, >= 0 and at most the model's population (100,000)
   * (default: the server's sample series).
   */
  observations?: number[];
  /** Days each of `observations` covers, 1..28 (default 1); only together with `observations`. */
  obs_interval?: number;
  /** Ensemble size, 2..2000 (default 100). */
  n_ens?: number;
  /**
   * Forecast horizon in observation periods, 0..365 (default 28 days' worth).
   * The job's work, n_ens × (observations + horizon) × obs_interval, is at most
   * 10 million member-steps.
   */
  horizon?: number;
  /** PRNG seed, a whole number >= 0 (default 1). */
  seed?: number;
}

/** What a job run returns to the caller. */
export interface ApiEnkfResponse {
  tenant_id: string;
  forecast: unknown;
  event: UsageEvent;
}

/** The caller's usage for a month, priced on its plan. */
export interface ApiUsageResponse {
  tenant_id: string;
  month: string;
  [key: string]: unknown;
}

/** What the API needs from the outside world. */
export interface ApiDeps {
  /** The metering core (its sink is the event queue). */
  core: MeterCore;
  /** Queue counters for `/metrics`. */
  metrics: () => QueueMetrics;
  /** Runs one instrumented EnKF job for a tenant. */
  runEnkf: (tenant_id: string, request: ApiEnkfRequest) => Promise<ApiEnkfResponse>;
  /** Month-to-date usage and price of a tenant. */
  usage: (tenant_id: string, month: string) => Promise<ApiUsageResponse>;
  /** The current instant (for the default month). */
  now: () => Date;
  /** A tenant's IANA time zone, which sets its default month (default: UTC for everyone). */
  timeZone?: (tenant_id: string) => string | undefined;
  /** Extra `/metrics` fields (process, store). */
  extraMetrics?: () => Record<string, unknown>;
}

function prometheus(m: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(m)) {
    if (typeof value !== "number") continue;
    const name = `meterbook_queue_${key}`;
    const counter = ["enqueued", "flushed", "batches", "shed", "failed", "lost", "enkf_refused"]
      .includes(key);
    lines.push(`# TYPE ${name} ${counter ? "counter" : "gauge"}`, `${name} ${value}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Builds the API app.
 *
 * @example
 * ```ts
 * import { createApiApp } from "./app.ts";
 * // const app = createApiApp({ core, metrics: () => queue.metrics(), runEnkf, usage, now: () => new Date() });
 * // Deno.serve({ hostname: "127.0.0.1", port: 8787 }, app.fetch);
 * ```
 */
export function createApiApp(deps: ApiDeps): Hono<{ Variables: MeterVariables }> {
  const app = new Hono<{ Variables: MeterVariables }>();
  app.onError((error, c) => {
    if (error instanceof UserError || error instanceof SyntaxError) {
      return c.json({ error: "bad_request", message: error.message }, 400);
    }
    if (error instanceof EnkfPoolBusyError) {
      return c.json({ error: "busy", message: error.message }, 503, { "retry-after": "1" });
    }
    console.error(`api: ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json({ error: "internal", message: "internal server error" }, 500);
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/metrics", (c) => {
    const m = { ...deps.metrics(), ...deps.extraMetrics?.() };
    if (c.req.query("format") === "prometheus") {
      return c.text(prometheus(m), 200, { "content-type": "text/plain; version=0.0.4" });
    }
    return c.json(m);
  });

  app.use("/v1/*", meter(deps.core));

  app.get("/v1/whoami", (c) => c.json({ tenant_id: c.get("tenant_id") }));

  app.post("/v1/enkf", async (c) => {
    const text = await c.req.text();
    const body = text.trim() === "" ? {} : JSON.parse(text);
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      throw new UserError('POST /v1/enkf: the body must be a JSON object like {"n_ens": 100}');
    }
    return c.json(await deps.runEnkf(c.get("tenant_id"), body as ApiEnkfRequest));
  });

  app.get("/v1/usage", async (c) => {
    const tenant = c.get("tenant_id");
    // "this month" is the tenant's local month, cut as its usage is
    const month = c.req.query("month") ?? localMonthOf(deps.now(), deps.timeZone?.(tenant));
    if (!isMonth(month)) {
      throw new UserError(`month ${JSON.stringify(month)}: expected YYYY-MM like 2026-10`);
    }
    return c.json(await deps.usage(tenant, month));
  });

  return app;
}
