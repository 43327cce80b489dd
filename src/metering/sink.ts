/**
 * Where usage events go once measured: the interface every sink (the
 * in-process queue, the write-ahead log, PostgreSQL, an in-memory array for
 * tests) implements.
 *
 * @module
 */
import type { UsageEvent } from "../events/mod.ts";

/** Builds an event from values captured earlier; pure and cheap, it must not throw. */
export type EventBuilder = () => UsageEvent;

/** A destination for usage events. */
export interface EventSink {
  /**
   * Accepts one event. The promise resolves when the sink has taken
   * responsibility for it (queued, or durably stored for durable sinks), and
   * rejects when it cannot (for example a full queue in `shed` mode).
   */
  write(event: UsageEvent): Promise<void>;
  /**
   * Optional: accepts an event as {@linkcode EventSink.write} does, but lets
   * the sink build it later, when it stores it (the queue builds a batch's
   * events as it takes the batch), so that a request does not pay for
   * formatting its event before its response goes out. Returns `true` when
   * it took the event at once (nothing to wait for), else a promise that
   * settles as {@linkcode EventSink.write}'s does.
   */
  writeLater?(build: EventBuilder): true | Promise<void>;
}

/**
 * A sink that keeps events in memory, in order: for tests and notebooks.
 *
 * @example
 * ```ts
 * import { MemorySink } from "./sink.ts";
 * const sink = new MemorySink();
 * await sink.write({ id: "e1", ts: "2026-10-01T00:00:00.000Z", tenant_id: "dept_a",
 *   event_type: "api_call", compute_units: 0.001 });
 * sink.events.length; // 1
 * ```
 */
export class MemorySink implements EventSink {
  /** The events written so far. */
  readonly events: UsageEvent[] = [];
  /** Appends the event. */
  write(event: UsageEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}
