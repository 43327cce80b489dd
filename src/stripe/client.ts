/**
 * The two Stripe calls the push makes, behind a small interface so the push
 * logic can run against the real SDK (live, or a local fake server in tests)
 * or record requests for a dry run.
 *
 * @module
 */
import Stripe from "stripe";

/** `POST /v1/billing/meter_events`. */
export interface MeterEventParams {
  event_name: string;
  payload: { stripe_customer_id: string; value: string };
  identifier: string;
  /** Unix seconds. */
  timestamp: number;
}

/** `POST /v1/billing/meter_event_adjustments` (cancel one event by identifier). */
export interface MeterEventCancelParams {
  event_name: string;
  type: "cancel";
  cancel: { identifier: string };
}

/** The calls the push needs; errors are thrown as the `stripe` SDK throws them. */
export interface MeterEventApi {
  createMeterEvent(params: MeterEventParams): Promise<{ livemode?: boolean }>;
  cancelMeterEvent(params: MeterEventCancelParams): Promise<{ status?: string }>;
}

/** Where and how the SDK connects. */
export interface StripeClientOptions {
  /** API host (default api.stripe.com); tests point it at 127.0.0.1. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
}

/**
 * A {@linkcode MeterEventApi} backed by the official `stripe` SDK.
 *
 * The SDK's own retries are disabled (`maxNetworkRetries: 0`): the push
 * retries 429/409/5xx/timeouts itself with injected backoff. The SDK still
 * retries a connection closed before any answer once, with the same
 * Idempotency-Key, so that retry cannot create a second event; and every
 * attempt the push makes carries the same meter event `identifier`, which
 * Stripe keeps unique. Telemetry headers are off.
 *
 * @example
 * ```ts
 * import { stripeMeterEventApi } from "./client.ts";
 * const api = stripeMeterEventApi("sk_test_123", { host: "127.0.0.1", port: 12111, protocol: "http" });
 * ```
 */
export function stripeMeterEventApi(
  key: string,
  options: StripeClientOptions = {},
): MeterEventApi {
  const stripe = new Stripe(key, {
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 30_000,
    telemetry: false,
    httpClient: Stripe.createFetchHttpClient(),
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
  });
  return {
    async createMeterEvent(params) {
      const event = await stripe.billing.meterEvents.create(params);
      return { livemode: event.livemode };
    },
    async cancelMeterEvent(params) {
      const adjustment = await stripe.billing.meterEventAdjustments.create(params);
      return { status: adjustment.status };
    },
  };
}
