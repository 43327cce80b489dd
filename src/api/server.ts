/**
 * Starts the metered API: the metering core and queue over the chosen store
 * (the WAL by default, or PostgreSQL), the Hono app, and `Deno.serve`; and
 * stops it gracefully (no new connections, in-flight requests finished, the
 * queue drained into the store).
 *
 * @module
 */
import { join } from "node:path";
import { readObservationsCsv } from "../enkf/obs.ts";
import { realClock } from "../metering/clock.ts";
import { EVENT_ID_HEADER, type MeterClock, MeterCore } from "../metering/core.ts";
import { loadApiKeyAuth } from "../metering/auth.ts";
import { apiCallUnits } from "../metering/event_units.ts";
import {
  type Backpressure,
  type BatchStore,
  type QueueMetrics,
  QueueSink,
} from "../metering/queue.ts";
import { WalStore } from "../metering/wal.ts";
import { PostgresStore } from "../metering/postgres_sink.ts";
import { loadPlans, loadTenants } from "../pricing/mod.ts";
import { UserError } from "../errors.ts";
import { createApiApp } from "./app.ts";
import { createEnkfRunner } from "./enkf.ts";
import { EnkfWorkerPool } from "./enkf_pool.ts";
import { checkPort, listenError } from "./listen.ts";
import {
  type ApiUsageSource,
  postgresUsageSource,
  storeUsageSource,
  usagePricer,
} from "./usage.ts";

/** Options of {@linkcode startApiServer}. */
export interface ApiServeOptions {
  /** The event store folder (the WAL goes to `<store>/wal/`). */
  store: string;
  plans: string;
  tenants: string;
  /** The sample series for jobs without observations (default `data/obs/sample.csv`). */
  obs?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** EnKF worker threads for POST /v1/enkf (default 1; 0 runs jobs on the main thread). */
  enkfWorkers?: number;
  /** EnKF jobs that may wait for a worker; more get a 503 (default 16). */
  enkfQueue?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Respond only after the request's event is fsynced (group commit). */
  durable?: boolean;
  /** Full queue: `block` (default) or `shed`. */
  backpressure?: Backpressure;
  /** Queue bound (default 100,000 events). */
  capacity?: number;
  batchSize?: number;
  flushIntervalMs?: number;
  /** `wal` (default) or `postgres` (then `postgresUrl`). */
  sink?: "wal" | "postgres";
  postgresUrl?: string;
  /** Environment for `METERBOOK_API_KEYS` (default none). */
  env?: Record<string, string | undefined>;
  engine?: "native" | "wasm";
  /** Meter clocks (default the system clock). */
  clock?: MeterClock;
  /** fsync WAL batches (default true). */
  fsync?: boolean;
  /** Log lines (default stderr). */
  log?: (message: string) => void;
}

/** A running server. */
export interface ApiServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  queue: QueueSink;
  core: MeterCore;
  /** Stops gracefully; resolves with the final queue counters. Idempotent. */
  shutdown(options?: { timeoutMs?: number }): Promise<QueueMetrics>;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
}

/**
 * Starts the API server.
 *
 * @example
 * ```ts
 * import { startApiServer } from "./server.ts";
 * const server = await startApiServer({ store: "data/events", plans: "data/plans.json",
 *   tenants: "data/tenants.json", port: 0, env: Deno.env.toObject() });
 * // ... requests to server.url ...
 * await server.shutdown();
 * ```
 */
export async function startApiServer(options: ApiServeOptions): Promise<ApiServer> {
  const log = options.log ?? ((message: string) => console.error(message));
  const [auth, units, plans, tenants, sample] = await Promise.all([
    loadApiKeyAuth({ tenants: options.tenants, env: options.env }),
    apiCallUnits(options.plans),
    loadPlans(options.plans),
    loadTenants(options.tenants),
    readObservationsCsv(options.obs ?? join("data", "obs", "sample.csv")),
  ]);
  if (auth.size === 0) {
    log(
      `serve: no API keys configured: every /v1 request will get 401. Add "api_key_sha256" to tenants in ${options.tenants} or set METERBOOK_API_KEYS="tenant:sha256hex,..."`,
    );
  }
  const sinkKind = options.sink ?? "wal";
  let store: BatchStore;
  if (sinkKind === "postgres") {
    if (!options.postgresUrl) {
      throw new UserError("--sink postgres needs --postgres-url postgres://user:pass@host:port/db");
    }
    store = new PostgresStore(options.postgresUrl);
  } else {
    store = new WalStore(options.store, { fsync: options.fsync });
  }
  const queue = new QueueSink(store, {
    durable: options.durable,
    backpressure: options.backpressure,
    capacity: options.capacity,
    batchSize: options.batchSize,
    flushIntervalMs: options.flushIntervalMs,
    log,
  });
  const core = new MeterCore({
    sink: queue,
    auth,
    clock: options.clock,
    computeUnits: units,
    requireStored: options.durable ?? false,
    // the API's clients can quote a request's event id (and the tests match them up)
    eventIdHeader: EVENT_ID_HEADER,
  });
  const source: ApiUsageSource = sinkKind === "postgres"
    ? postgresUsageSource(options.postgresUrl!, { flush: () => queue.flush() })
    : storeUsageSource({
      store: options.store,
      engine: options.engine,
      flush: () => queue.flush(),
    });
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 8787;
  checkPort(port);
  const workers = options.enkfWorkers ?? 1;
  if (!Number.isInteger(workers) || workers < 0) {
    throw new UserError(`enkfWorkers: must be an integer >= 0, got ${workers}`);
  }
  // jobs on worker threads keep the event loop answering; warmed up so that the first job is not
  // billed for module loading and JIT compilation
  const pool = workers > 0
    ? new EnkfWorkerPool({ size: workers, maxQueued: options.enkfQueue })
    : undefined;
  const cleanUp = async () => {
    pool?.close();
    await queue.close();
    await source.close?.();
  };
  // settles either way; awaited once the port is bound, so that a busy port fails fast
  const warming = pool ? pool.warmUp().then(() => null, (error: unknown) => ({ error })) : null;
  const app = createApiApp({
    core,
    metrics: () => queue.metrics(),
    extraMetrics: () => ({
      durable: queue.durable,
      backpressure: queue.backpressure,
      store: store.name,
      ...(pool ? { enkf_waiting: pool.queued, enkf_refused: pool.refused } : {}),
    }),
    runEnkf: createEnkfRunner({
      sink: queue,
      clock: realClock(),
      nextId: () => core.nextId(),
      sample,
      pool,
    }),
    usage: usagePricer({ plans, tenants, source }),
    now: () => new Date((options.clock ?? { now: Date.now }).now()),
    timeZone: (tenant_id) => tenants[tenant_id]?.time_zone,
  });
  let listening!: (addr: Deno.NetAddr) => void;
  const ready = new Promise<Deno.NetAddr>((resolve) => (listening = resolve));
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname,
      port,
      onListen: (addr) => listening(addr as Deno.NetAddr),
    }, app.fetch);
  } catch (error) {
    await cleanUp();
    await warming;
    throw listenError(error, hostname, port);
  }
  const addr = await ready;
  const warmed = await warming;
  if (warmed) {
    await server.shutdown();
    await cleanUp();
    throw warmed.error;
  }
  let stopping: Promise<QueueMetrics> | null = null;
  return {
    url: `http://${addr.hostname}:${addr.port}`,
    port: addr.port,
    queue,
    core,
    finished: server.finished,
    shutdown(shutdownOptions = {}) {
      stopping ??= (async () => {
        await server.shutdown(); // stop accepting; let in-flight requests finish
        pool?.close(); // after the server: no job is running any more
        const metrics = await queue.close({ timeoutMs: shutdownOptions.timeoutMs });
        await source.close?.();
        return metrics;
      })();
      return stopping;
    },
  };
}
