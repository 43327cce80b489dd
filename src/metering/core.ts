/**
 * The request-metering core shared by the Hono middleware and the plain
 * `Deno.serve` wrapper: authenticate, time, build the `api_call` (or
 * `unauthenticated`) usage event, and hand it to a sink.
 *
 * @module
 */
import { UNAUTHENTICATED, type UsageEvent } from "../events/mod.ts";
import type { Authenticator } from "./auth.ts";
import type { EventSink } from "./sink.ts";
import { createUuidV7Stamps, formatUuidV7, type RandomSource, type UuidV7Stamp } from "./uuidv7.ts";
import { errorMessage } from "../errors.ts";

/** Compute units one `api_call` carries when the plans file says nothing. */
export const DEFAULT_API_CALL_UNITS = 0.001;

/** The response header that carries the id of the request's usage event. */
export const EVENT_ID_HEADER = "x-usage-event-id";

/** The clocks the meter reads: wall time for `ts` and ids, a monotonic one for durations. */
export interface MeterClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** A monotonic reading in milliseconds (fractions allowed). */
  monotonic(): number;
}

/** The real clocks: `Date.now()` and `performance.now()`. */
export const systemClock: MeterClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

/** Options shared by {@linkcode meter} and {@linkcode meteredHandler}. */
export interface MeterOptions {
  /** Where events go (usually a {@linkcode QueueSink}). */
  sink: EventSink;
  /** Resolves `Authorization` headers to tenants. */
  auth: Authenticator;
  /** Clocks (default {@linkcode systemClock}). */
  clock?: MeterClock;
  /** The random source of event ids (default `crypto.getRandomValues`). */
  random?: RandomSource;
  /**
   * Replaces the UUIDv7 generator entirely (tests). It is called with an
   * instant in ms: a request's start (its event's `ts`) from `begin`, the
   * clock's now from {@linkcode MeterCore.nextId}, so that a generator such
   * as `createUuidV7()` can stamp its ids with the same reading.
   */
  nextId?: (atMs: number) => string;
  /** Compute units per metered call (default {@linkcode DEFAULT_API_CALL_UNITS}; see `loadEventUnits`). */
  computeUnits?: number;
  /** The event type of authenticated calls (default `api_call`). */
  eventType?: string;
  /**
   * Whether a response waits for its event to be accepted by the sink and is
   * turned into a 503 when the sink refuses it (default `false`: a refused
   * event is logged and the response goes out unchanged). Set it with a
   * durable sink, where "accepted" means fsynced.
   */
  requireStored?: boolean;
  /**
   * A response header that carries the event id, such as
   * {@linkcode EVENT_ID_HEADER} (default `false`: none). Opt in when clients
   * should be able to quote it: on `Deno.serve` a second response header
   * costs about 8 microseconds per request (bench/metering.ts), more than
   * the rest of the metering.
   */
  eventIdHeader?: string | false;
  /** Called when the sink refuses an event (default: a log line on stderr, at most once a second). */
  onSinkError?: (error: unknown, event: UsageEvent) => void;
}

/** One request in flight. */
export interface RequestMeter {
  /**
   * The id of the request's usage event (a UUIDv7 stamped with `startMs`).
   * With the built-in generator it is written out as text when first read,
   * which for most requests is when the event is stored, after the response.
   */
  readonly id: string;
  /** The wall-clock start, in ms since the Unix epoch: the event's `ts`. */
  readonly startMs: number;
  /** The monotonic start, in ms. */
  readonly start: number;
  /** The authenticated tenant, or `null` (the request gets a 401). */
  readonly tenant_id: string | null;
}

/**
 * The route pattern of a request for its event: the pattern itself, `null`
 * (none matched), or a function that works it out when the event is built
 * (so that a request whose event is stored later does not wait on it). The
 * function must be pure and must not throw.
 */
export type EndpointOf = string | null | (() => string | null);

/**
 * A {@linkcode RequestMeter} whose id is kept as numbers until it is read.
 * Handlers get it (`c.get("request_meter")`), so its fields are private
 * behind getters and the event is built from the private fields: a handler
 * cannot change the tenant, id or start its event is built from (assigning
 * throws; defining properties over the getters changes only what the
 * handler itself reads).
 */
class PendingMeter implements RequestMeter {
  #id: string | undefined;
  readonly #stamp: UuidV7Stamp | undefined;
  readonly #startMs: number;
  readonly #start: number;
  readonly #tenant: string | null;
  constructor(
    id: string | undefined,
    stamp: UuidV7Stamp | undefined,
    startMs: number,
    start: number,
    tenant: string | null,
  ) {
    this.#id = id;
    this.#stamp = stamp;
    this.#startMs = startMs;
    this.#start = start;
    this.#tenant = tenant;
  }
  /**
   * The fields `begin` set, read from the private fields when `m` is a
   * PendingMeter: what a handler defines on the object, or a prototype it
   * swaps in, does not reach the event (freezing each meter would do too, at
   * about half a microsecond per request).
   */
  static idOf(m: RequestMeter): string {
    return #stamp in m ? (m.#id ??= formatUuidV7(m.#stamp!)) : m.id;
  }
  static startMsOf(m: RequestMeter): number {
    return #startMs in m ? m.#startMs : m.startMs;
  }
  static startOf(m: RequestMeter): number {
    return #start in m ? m.#start : m.start;
  }
  static tenantOf(m: RequestMeter): string | null {
    return #tenant in m ? m.#tenant : m.tenant_id;
  }
  get id(): string {
    return PendingMeter.idOf(this);
  }
  get startMs(): number {
    return this.#startMs;
  }
  get start(): number {
    return this.#start;
  }
  get tenant_id(): string | null {
    return this.#tenant;
  }
  /** The fields as a plain object (getters are not own properties: `JSON.stringify` needs this). */
  toJSON(): { id: string; startMs: number; start: number; tenant_id: string | null } {
    return { id: this.id, startMs: this.#startMs, start: this.#start, tenant_id: this.#tenant };
  }
}

/** The endpoint for a log line, even when working it out fails. */
function describeEndpoint(endpoint: EndpointOf): string {
  try {
    return String(typeof endpoint === "function" ? endpoint() : endpoint);
  } catch {
    return "(unknown endpoint)";
  }
}

/** Whether an error is a sink's deliberate refusal (a shed event), already counted and logged. */
function isShed(error: unknown): boolean {
  return error instanceof Error && error.name === "QueueFullError";
}

/**
 * The shared metering core. Use it through {@linkcode meter} (Hono) or
 * {@linkcode meteredHandler} (`Deno.serve`); build one core and pass it to
 * both to share ids, sink and settings.
 *
 * @example
 * ```ts
 * import { MeterCore } from "./core.ts";
 * import { ApiKeyAuth, hashApiKey } from "./auth.ts";
 * import { MemorySink } from "./sink.ts";
 * const sink = new MemorySink();
 * const core = new MeterCore({ sink, auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("k") }]) });
 * const m = core.begin("Bearer k");
 * await core.finish(m, "/v1/ping", "GET", 200); // true; sink.events[0].tenant_id === "dept_a"
 * ```
 */
export class MeterCore {
  readonly sink: EventSink;
  readonly auth: Authenticator;
  readonly clock: MeterClock;
  readonly computeUnits: number;
  readonly eventType: string;
  readonly requireStored: boolean;
  readonly eventIdHeader: string | false;
  /** The caller's id generator (`options.nextId`), or `null` for the built-in UUIDv7s. */
  readonly #customId: ((atMs: number) => string) | null;
  readonly #stamps: (atMs?: number) => UuidV7Stamp;
  readonly #onSinkError: (error: unknown, event: UsageEvent) => void;
  #lastLog = -Infinity;
  #isoMs = NaN;
  #iso = "";
  #unlogged = 0;

  constructor(options: MeterOptions) {
    this.sink = options.sink;
    this.auth = options.auth;
    this.clock = options.clock ?? systemClock;
    const clock = this.clock;
    this.#customId = options.nextId ?? null;
    this.#stamps = createUuidV7Stamps({ now: () => clock.now(), random: options.random });
    const units = options.computeUnits ?? DEFAULT_API_CALL_UNITS;
    if (!Number.isFinite(units) || units < 0) {
      throw new RangeError(`meter: computeUnits must be a finite number >= 0, got ${units}`);
    }
    this.computeUnits = units;
    this.eventType = options.eventType ?? "api_call";
    this.requireStored = options.requireStored ?? false;
    this.eventIdHeader = options.eventIdHeader ?? false;
    this.#onSinkError = options.onSinkError ?? ((error, event) => this.#logSinkError(error, event));
  }

  /** A new time-ordered event id from this core's generator (for job events of a request). */
  nextId(): string {
    return this.#customId ? this.#customId(this.clock.now()) : formatUuidV7(this.#stamps());
  }

  /**
   * The id of `m`'s usage event as `begin` made it: what a handler defines
   * over `m.id` (it is handed to handlers) does not change it.
   */
  idOf(m: RequestMeter): string {
    return PendingMeter.idOf(m);
  }

  /**
   * Starts metering a request: reads the clocks, makes its id, authenticates.
   * The event's ts and its UUIDv7's time come from one reading of the clock.
   */
  begin(authorization: string | null | undefined): RequestMeter {
    const startMs = this.clock.now();
    const custom = this.#customId;
    return new PendingMeter(
      custom ? custom(startMs) : undefined,
      custom ? undefined : this.#stamps(startMs),
      startMs,
      this.clock.monotonic(),
      this.auth.authenticate(authorization),
    );
  }

  /** The usage event of a request that finished at monotonic time `end` (default: now). */
  event(
    m: RequestMeter,
    endpoint: string | null,
    method: string,
    status: number,
    end: number = this.clock.monotonic(),
  ): UsageEvent {
    const duration = end - PendingMeter.startOf(m);
    const tenant = PendingMeter.tenantOf(m);
    const authed = tenant !== null;
    const startMs = PendingMeter.startMsOf(m);
    if (startMs !== this.#isoMs) {
      // many requests share a millisecond under load: format it once
      this.#isoMs = startMs;
      this.#iso = new Date(startMs).toISOString();
    }
    return {
      id: PendingMeter.idOf(m),
      ts: this.#iso,
      tenant_id: tenant,
      event_type: authed ? this.eventType : UNAUTHENTICATED,
      compute_units: authed ? this.computeUnits : 0,
      endpoint,
      method,
      status_code: status,
      duration_ms: Math.round(duration * 1000) / 1000,
    };
  }

  /**
   * Finishes a request: stops its clock and hands its event to the sink.
   * `true` (at once, or resolved) when the sink took it, `false` when it
   * refused (logged, and counted by the sink); never rejects. Unless `requireStored` is set, a
   * sink with `writeLater` (the queue) builds the event when it stores it, so
   * the formatting (of the id, the ts and, when `endpoint` is a function,
   * the route pattern) happens after the response has gone out; the
   * duration and status are fixed here either way.
   */
  finish(
    m: RequestMeter,
    endpoint: EndpointOf,
    method: string,
    status: number,
  ): true | Promise<boolean> {
    const end = this.clock.monotonic();
    const build = typeof endpoint === "function"
      ? () => this.event(m, endpoint(), method, status, end)
      : () => this.event(m, endpoint, method, status, end);
    const sink = this.sink;
    let accepted: true | Promise<void>;
    try {
      accepted = sink.writeLater && !this.requireStored
        ? sink.writeLater(build)
        : sink.write(build());
    } catch (error) {
      accepted = Promise.reject(error); // a sink or a clock that throws is a refusal too
    }
    if (accepted === true) return true;
    return accepted.then(
      () => true,
      (error) => {
        if (isShed(error)) return false;
        try {
          this.#onSinkError(error, build());
        } catch (inner) {
          console.error(
            `metering: sink refused event ${PendingMeter.idOf(m)} (${
              PendingMeter.tenantOf(m) ?? "no tenant"
            } ${method} ${describeEndpoint(endpoint)}): ${
              errorMessage(error)
            }; describing it failed too: ${errorMessage(inner)}`,
          );
        }
        return false;
      },
    );
  }

  /** The 401 response of a request without a valid key. */
  unauthorized(id: string): Response {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "www-authenticate": 'Bearer realm="meterbook"',
    };
    if (this.eventIdHeader) headers[this.eventIdHeader] = id;
    return new Response(
      JSON.stringify({
        error: "unauthorized",
        message: "missing or unknown API key: send `Authorization: Bearer <key>`",
      }),
      { status: 401, headers },
    );
  }

  /** The 503 response sent instead when `requireStored` is set and the event was not stored. */
  unavailable(id: string): Response {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "retry-after": "1",
    };
    if (this.eventIdHeader) headers[this.eventIdHeader] = id;
    return new Response(
      JSON.stringify({
        error: "usage_not_recorded",
        message: "the usage event of this request could not be stored; retry later",
      }),
      { status: 503, headers },
    );
  }

  #logSinkError(error: unknown, event: UsageEvent): void {
    const now = this.clock.monotonic();
    this.#unlogged++;
    if (now - this.#lastLog < 1000) return;
    this.#lastLog = now;
    const n = this.#unlogged;
    this.#unlogged = 0;
    console.error(
      `metering: sink refused ${n} event(s), latest ${event.id} (${
        event.tenant_id ?? "no tenant"
      } ${event.method} ${event.endpoint}): ${errorMessage(error)}`,
    );
  }
}

/**
 * Sets a header on a response, copying the response when its headers are
 * immutable (a `fetch()` response, `Response.redirect`).
 */
export function withResponseHeader(res: Response, name: string, value: string): Response {
  try {
    res.headers.set(name, value);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    copy.headers.set(name, value);
    return copy;
  }
}
