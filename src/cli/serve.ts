/**
 * `deno task serve [--port 8787] [--durable]`: the metered HTTP API.
 *
 * @module
 */
import { type Command, intOption } from "./command.ts";
import { UserError } from "../errors.ts";
import { log } from "./log.ts";

/** The `serve` command. */
export const command: Command = {
  name: "serve",
  summary: "serve the metered API (every /v1 request becomes a usage event)",
  usage: "[--port 8787] [--durable]",
  description: `
Routes: POST /v1/enkf (an instrumented EnKF job for the caller's tenant, run on a worker thread so the
server keeps answering; at most 10 million member-steps, n_ens x model days), GET /v1/usage[?month=YYYY-MM]
(usage priced on the tenant's plan; the default month is the tenant's current local month in its
time zone), GET /v1/whoami, and unmetered GET /healthz and
GET /metrics (queue depth, flushed, shed, failed; ?format=prometheus for the text format).
Callers send "Authorization: Bearer <key>"; keys are stored as SHA-256 in the tenants file
("api_key_sha256") or in METERBOOK_API_KEYS="tenant:sha256hex,...".
Events go to a bounded in-process queue, flushed in batches to the write-ahead log <store>/wal/
(fsynced per batch; "deno task compact" moves it into the month partitions) or to PostgreSQL.
With --durable a response is sent only after its event is fsynced (group commit).
SIGTERM/SIGINT stop accepting requests, finish those in flight and flush the queue before exit.`,
  options: {
    port: { type: "string", valueName: "N", description: "port (0: any free port; default 8787)" },
    hostname: { type: "string", valueName: "HOST", description: "address (default 127.0.0.1)" },
    durable: {
      type: "boolean",
      description: "respond only after the request's event is fsynced (group commit)",
    },
    backpressure: {
      type: "string",
      valueName: "block|shed",
      description: "full queue: block the request (default) or shed the event (counted, logged)",
    },
    "queue-capacity": {
      type: "string",
      valueName: "N",
      description: "events held in memory at most (default 100000)",
    },
    "batch-size": {
      type: "string",
      valueName: "N",
      description: "events per batch (default 1000)",
    },
    "flush-ms": {
      type: "string",
      valueName: "MS",
      description: "flush waiting events at least this often (default 50)",
    },
    sink: {
      type: "string",
      valueName: "wal|postgres",
      description: "where events go (default wal: <store>/wal/)",
    },
    "postgres-url": {
      type: "string",
      valueName: "URL",
      description: "PostgreSQL for --sink postgres (default: env METERBOOK_PG_URL)",
    },
    obs: {
      type: "string",
      valueName: "FILE",
      description: "case counts for jobs without observations (default data/obs/sample.csv)",
    },
    "enkf-workers": {
      type: "string",
      valueName: "N",
      description: "worker threads for POST /v1/enkf jobs (default 1; 0: on the main thread)",
    },
    "enkf-queue": {
      type: "string",
      valueName: "N",
      description: "EnKF jobs that may wait for a worker; more get a 503 (default 16)",
    },
  },
  async run({ common, values }) {
    const { startApiServer } = await import("../api/server.ts");
    const { threadCpuWarning } = await import("../metering/clock.ts");
    const port = intOption("--port", values.port, 0, 65535) ?? 8787;
    const backpressure = (values.backpressure as string | undefined) ?? "block";
    if (backpressure !== "block" && backpressure !== "shed") {
      throw new UserError(`--backpressure ${JSON.stringify(backpressure)}: expected block or shed`);
    }
    const sink = (values.sink as string | undefined) ?? "wal";
    if (sink !== "wal" && sink !== "postgres") {
      throw new UserError(`--sink ${JSON.stringify(sink)}: expected wal or postgres`);
    }
    const enkfWorkers = intOption("--enkf-workers", values["enkf-workers"], 0, 64);
    const enkfQueue = intOption("--enkf-queue", values["enkf-queue"], 0, 100_000);
    if (enkfQueue !== undefined && enkfWorkers === 0) {
      throw new UserError(
        "--enkf-queue: jobs wait for worker threads, and --enkf-workers 0 runs them on the main thread; drop one of the two",
      );
    }
    const env = Deno.env.toObject();
    // jobs would silently be billed the server's CPU too: say so once, before serving
    const cpuWarning = threadCpuWarning();
    if (cpuWarning) log(`serve: ${cpuWarning}`);
    const server = await startApiServer({
      store: common.store,
      plans: common.plans,
      tenants: common.tenants,
      obs: values.obs as string | undefined,
      port,
      hostname: (values.hostname as string | undefined) ?? "127.0.0.1",
      durable: values.durable === true,
      backpressure,
      capacity: intOption("--queue-capacity", values["queue-capacity"], 1),
      batchSize: intOption("--batch-size", values["batch-size"], 1),
      flushIntervalMs: intOption("--flush-ms", values["flush-ms"], 1),
      sink,
      postgresUrl: (values["postgres-url"] as string | undefined) ?? env.METERBOOK_PG_URL,
      env,
      engine: common.engine,
      enkfWorkers,
      enkfQueue,
    });
    // listen for signals before announcing the address: whoever waits for that
    // line may send SIGTERM at once, and an unhandled one kills without a flush
    const stop = (signal: string) => {
      log(`serve: ${signal}: finishing requests in flight and flushing the event queue`);
      void server.shutdown();
    };
    const onTerm = () => stop("SIGTERM");
    const onInt = () => stop("SIGINT");
    Deno.addSignalListener("SIGTERM", onTerm);
    Deno.addSignalListener("SIGINT", onInt);
    const where = sink === "postgres" ? "PostgreSQL" : `${common.store}/wal`;
    console.log(
      `meterbook serve: listening on ${server.url} (events -> ${where}; ${
        values.durable ? "durable: responses wait for fsync" : "async"
      }, backpressure ${backpressure})`,
    );
    await server.finished;
    const metrics = await server.shutdown();
    Deno.removeSignalListener("SIGTERM", onTerm);
    Deno.removeSignalListener("SIGINT", onInt);
    log(
      `serve: stopped; ${metrics.flushed} event(s) stored, ${metrics.shed} shed, ${metrics.failed} failed store attempt(s), ${metrics.lost} lost`,
    );
    return metrics.lost > 0 ? 1 : 0;
  },
};
