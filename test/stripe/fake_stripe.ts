/**
 * A local fake of the two Stripe endpoints the push uses, speaking Stripe's
 * wire format: form-encoded request bodies (`payload[value]=12`), JSON
 * responses, Stripe error objects (`{ "error": { "type", "code", "message" } }`)
 * and the `Request-Id` / `Stripe-Should-Retry` headers. It binds 127.0.0.1
 * on port 0; point the real `stripe` SDK at it with host, port and
 * `protocol: "http"`.
 *
 * Faults are scripted per request: an HTTP status with a Stripe error, or a
 * delay (to trip the SDK's timeout), optionally after the request took effect
 * (a lost response). A 429 looks like real Stripe's rate limit answer
 * (`type: "invalid_request_error"`, `code: "rate_limit"`, a `doc_url`).
 *
 * Identifiers are unique for 24 h of the fake's clock, the least Stripe
 * promises: a create with an identifier first received more than 24 h ago is
 * stored as a new event (so a late resend double-counts, as it may on Stripe).
 *
 * @module
 */

/** One scripted fault, consumed by the next request to `path` (any path when omitted). */
export interface Fault {
  path?: string;
  /** Answer with this status and a Stripe error object instead of handling the request. */
  status?: number;
  /** Stripe error type (default by status: api_error, idempotency_error, invalid_request_error). */
  type?: string;
  /** Stripe error code (default for a 429: rate_limit). */
  code?: string;
  message?: string;
  /** Wait this long before answering (the SDK's timeout trips first when it is smaller). */
  delayMs?: number;
  /** With delayMs: handle the request (store the event) before waiting. */
  applyFirst?: boolean;
}

/** A request as the fake received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** The form body decoded into nested objects. */
  body: Record<string, unknown>;
  rawBody: string;
  headers: Record<string, string>;
  /** The answer's status. */
  status: number;
}

/** A stored meter event. */
export interface StoredEvent {
  event_name: string;
  identifier: string;
  payload: Record<string, string>;
  timestamp: number;
  created: number;
  cancelled: boolean;
}

/** Options of {@linkcode startFakeStripe}. */
export interface FakeStripeOptions {
  /** The fake's clock for the 35-day, 5-minute and 24 h rules (default: real time). */
  now?: () => Date;
  /** Customer ids that exist; others get a 400 (default: any `cus_` id). */
  customers?: string[];
  /** Echo the presented key in 401 messages (to test redaction; real Stripe masks it). */
  echoKeyOnAuthError?: boolean;
  /** The only keys accepted (default: any sk_test_/rk_test_ key). */
  validKeys?: string[];
}

/** A running fake. */
export interface FakeStripe {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The latest event stored under each identifier. */
  readonly events: Map<string, StoredEvent>;
  /** Every event the API stored, in order (an identifier reused after 24 h appears twice). */
  readonly received: StoredEvent[];
  /** Queues faults, used in order. */
  fault(...faults: Fault[]): void;
  close(): Promise<void>;
}

/** Decodes `a[b][c]=v` form fields into nested objects, as Stripe does. */
export function decodeForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.replace(/\]/g, "").split("[");
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return out;
}

const DEFAULT_TYPE: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  404: "invalid_request_error",
  409: "idempotency_error",
  // Stripe's error types are api_error, card_error, idempotency_error and invalid_request_error:
  // a rate limit is an invalid_request_error with code rate_limit.
  429: "invalid_request_error",
};

/** Stripe's answer to too many requests (HTTP 429). */
const RATE_LIMIT = {
  code: "rate_limit",
  message: "Request rate limit exceeded. You can learn more about rate limits here " +
    "https://stripe.com/docs/rate-limits.",
  doc_url: "https://stripe.com/docs/error-codes/rate-limit",
};

/** How long Stripe keeps a meter event identifier unique (at least). */
const IDENTIFIER_WINDOW_SECONDS = 24 * 3600;

/**
 * Starts the fake on 127.0.0.1, port 0.
 *
 * @example
 * ```ts
 * import { startFakeStripe } from "./fake_stripe.ts";
 * const fake = await startFakeStripe();
 * // new Stripe("sk_test_x", { host: fake.host, port: fake.port, protocol: "http" })
 * await fake.close();
 * ```
 */
export function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const now = options.now ?? (() => new Date());
  const requests: ReceivedRequest[] = [];
  const events = new Map<string, StoredEvent>();
  const received: StoredEvent[] = [];
  const faults: Fault[] = [];
  let counter = 0;

  const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: {
        "content-type": "application/json",
        "request-id": `req_fake_${++counter}`,
        ...extra,
      },
    });
  const error = (
    status: number,
    fields: { type?: string; code?: string; message: string; param?: string; doc_url?: string },
    extra: Record<string, string> = {},
  ) =>
    json(status, {
      error: {
        type: fields.type ?? DEFAULT_TYPE[status] ?? "api_error",
        ...(fields.code ? { code: fields.code } : {}),
        ...(fields.doc_url ? { doc_url: fields.doc_url } : {}),
        ...(fields.param ? { param: fields.param } : {}),
        message: fields.message,
        request_log_url: `https://dashboard.stripe.com/test/logs/req_fake_${counter + 1}`,
      },
    }, extra);

  const handle = (path: string, body: Record<string, unknown>): Response => {
    const seconds = Math.floor(now().getTime() / 1000);
    if (path === "/v1/billing/meter_events") {
      const payload = (body.payload ?? {}) as Record<string, string>;
      const eventName = body.event_name as string | undefined;
      if (!eventName) {
        return error(400, {
          code: "parameter_missing",
          param: "event_name",
          message: "Missing required param: event_name.",
        });
      }
      const customer = payload.stripe_customer_id;
      if (!customer) {
        return error(400, { message: "Missing required param: payload[stripe_customer_id]." });
      }
      if (
        !customer.startsWith("cus_") ||
        (options.customers && !options.customers.includes(customer))
      ) {
        return error(400, {
          code: "resource_missing",
          param: "payload[stripe_customer_id]",
          message: `No such customer: '${customer}'`,
        });
      }
      if (payload.value === undefined || !/^-?\d+(\.\d+)?$/.test(payload.value)) {
        return error(400, { message: "payload[value] must be a number." });
      }
      const timestamp = body.timestamp === undefined ? seconds : Number(body.timestamp);
      if (timestamp < seconds - 35 * 86_400 || timestamp > seconds + 300) {
        return error(400, {
          param: "timestamp",
          message:
            "Timestamp must be within the past 35 calendar days or up to 5 minutes in the future.",
        });
      }
      const identifier = (body.identifier as string | undefined) ?? `fake_${counter}`;
      if (identifier.length > 100) {
        return error(400, { param: "identifier", message: "identifier is too long (max 100)." });
      }
      const earlier = events.get(identifier);
      if (earlier && seconds - earlier.created < IDENTIFIER_WINDOW_SECONDS) {
        return error(400, {
          message: `An event already exists with identifier ${identifier}.`,
        }, { "stripe-should-retry": "false" });
      }
      const event: StoredEvent = {
        event_name: eventName,
        identifier,
        payload,
        timestamp,
        created: seconds,
        cancelled: false,
      };
      events.set(identifier, event);
      received.push(event);
      return json(200, {
        object: "billing.meter_event",
        created: seconds,
        event_name: eventName,
        identifier,
        livemode: false,
        payload,
        timestamp,
      });
    }
    if (path === "/v1/billing/meter_event_adjustments") {
      const cancel = (body.cancel ?? {}) as Record<string, string>;
      if (body.type !== "cancel") {
        return error(400, { param: "type", message: "Invalid type: must be cancel." });
      }
      const event = events.get(cancel.identifier ?? "");
      if (!event || event.event_name !== body.event_name) {
        return error(400, {
          code: "resource_missing",
          message: `No meter event found with identifier ${cancel.identifier}.`,
        });
      }
      if (seconds - event.created > 86_400) {
        return error(400, {
          message: "Meter events can only be cancelled within 24 hours of Stripe receiving them.",
        });
      }
      event.cancelled = true;
      return json(200, {
        object: "billing.meter_event_adjustment",
        cancel: { identifier: event.identifier },
        event_name: event.event_name,
        livemode: false,
        status: "pending",
        type: "cancel",
      });
    }
    return error(404, { message: `Unrecognized request URL (POST: ${path}).` });
  };

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
    }, async (request) => {
      const url = new URL(request.url);
      const rawBody = await request.text();
      const body = decodeForm(rawBody);
      const headers: Record<string, string> = {};
      request.headers.forEach((v, k) => (headers[k] = v));
      const record: ReceivedRequest = {
        method: request.method,
        path: url.pathname,
        body,
        rawBody,
        headers,
        status: 0,
      };
      requests.push(record);
      const index = faults.findIndex((f) => f.path === undefined || f.path === url.pathname);
      const fault = index >= 0 ? faults.splice(index, 1)[0] : undefined;
      let response: Response | undefined;
      const auth = headers["authorization"] ?? "";
      const presented = auth.replace(/^Bearer /, "");
      if (
        !/^Bearer (sk|rk)_test_/.test(auth) ||
        (options.validKeys && !options.validKeys.includes(presented))
      ) {
        const key = auth.replace(/^Bearer /, "");
        response = error(401, {
          message: options.echoKeyOnAuthError
            ? `Invalid API Key provided: ${key}`
            : `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
        });
      } else if (fault?.status !== undefined) {
        const limited = fault.status === 429 || fault.code === "rate_limit";
        response = error(fault.status, {
          type: fault.type,
          code: fault.code ?? (fault.status === 429 ? RATE_LIMIT.code : undefined),
          message: fault.message ??
            (limited ? RATE_LIMIT.message : `Fake Stripe answered ${fault.status}.`),
          ...(limited ? { doc_url: RATE_LIMIT.doc_url } : {}),
        });
      } else if (fault?.delayMs !== undefined) {
        if (fault.applyFirst) response = handle(url.pathname, body);
        await new Promise((r) => setTimeout(r, fault.delayMs));
        response ??= handle(url.pathname, body);
      } else {
        response = handle(url.pathname, body);
      }
      record.status = response!.status;
      return response!;
    });
    const address = server.addr as Deno.NetAddr;
    resolve({
      host: "127.0.0.1",
      port: address.port,
      url: `http://127.0.0.1:${address.port}`,
      requests,
      events,
      received,
      fault: (...more) => faults.push(...more),
      close: () => server.shutdown(),
    });
  });
}
