/**
 * bench/metering.ts: what metering costs and how much it carries.
 *
 * 1. In-process (app.request, no sockets): the median time per request of
 *    the same Hono handler with and without the `meter()` middleware (events
 *    to a QueueSink over the WAL, fsynced per batch); the difference is what
 *    the middleware adds. Also the core alone in a tight loop.
 * 2. Loopback HTTP, sequential (one connection, one request at a time): one
 *    server subprocess serves the same handler metered and unmetered, both
 *    as a Hono route (with and without `meter()`) and as a plain `Deno.serve`
 *    handler (with and without `meteredHandler`), plus the Hono route behind
 *    a pass-through middleware (Hono's own cost of any async middleware);
 *    the client interleaves the five request by request, so that drift
 *    cancels, and the difference of the medians of the round trips is the
 *    latency a client sees added. A second server does the same with the
 *    optional event-id header on.
 * 3. Loopback HTTP, sustained: `deno task serve` (async, then --durable)
 *    under a pipelined load generator for a few seconds; requests/s beside
 *    the same server's unmetered `GET /healthz` under the same load, half
 *    before and half after (the bare baseline, and their ratio), then a graceful stop and a count of the
 *    stored events (zero loss = every 200 response has its event in the WAL,
 *    nothing more).
 *
 * Usage: deno run -A bench/metering.ts [--seconds 3] [--connections 8] [--depth 32]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Hono } from "hono";
import { ApiKeyAuth, hashApiKey } from "../src/metering/auth.ts";
import { EVENT_ID_HEADER, MeterCore } from "../src/metering/core.ts";
import { meter, meteredHandler } from "../src/metering/middleware.ts";
import { QueueSink } from "../src/metering/queue.ts";
import { readWalEvents, WalStore } from "../src/metering/wal.ts";
import type { EventSink } from "../src/metering/sink.ts";

const KEY = "bench-key-a";
const KEYS_ENV = `dept_a:${hashApiKey(KEY)},dept_b:${hashApiKey("bench-key-b")}`;
const root = new URL("../", import.meta.url).pathname;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function buildApp(sink: EventSink | null, options: { eventIdHeader?: string | false } = {}) {
  const app = new Hono();
  if (sink) {
    app.use(
      "/v1/*",
      meter({
        sink,
        auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey(KEY) }]),
        ...options,
      }),
    );
  }
  const handler = (c: { req: { param(name: string): string }; json(v: unknown): Response }) =>
    c.json({ id: c.req.param("id") });
  app.get("/v1/jobs/:id", handler);
  // the same handler outside /v1/*: never metered (the paired baseline of the loopback bench)
  app.get("/plain/jobs/:id", handler);
  // and behind a middleware that does nothing: what Hono itself charges for any async middleware
  app.use("/pass/*", async function passThrough(_c, next) {
    await next();
  });
  app.get("/pass/jobs/:id", handler);
  return app;
}

// ---- server mode: `bench/metering.ts --serve plain|metered|metered-header` (a child of the bench)
async function serveMode(kind: string, store: string) {
  const queue = new QueueSink(new WalStore(store), { log: () => {} });
  const options = kind === "metered-header" ? { eventIdHeader: EVENT_ID_HEADER } : {};
  const app = buildApp(kind === "plain" ? null : queue, options);
  // the same handler for Deno.serve, bare (/dplain/...) and wrapped (/dv1/...)
  const bare = (req: Request) => Response.json({ id: req.url.slice(req.url.lastIndexOf("/") + 1) });
  const wrapped = meteredHandler(bare, {
    sink: queue,
    auth: new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey(KEY) }]),
    ...options,
  }, { routes: ["/dv1/jobs/:id"] });
  let listening!: (port: number) => void;
  const ready = new Promise<number>((r) => (listening = r));
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: (a) => listening(a.port),
  }, (req, info) => {
    const url = req.url;
    const at = url.indexOf("/", 8); // past "http://"
    if (url.startsWith("/dplain/", at)) return bare(req);
    if (url.startsWith("/dv1/", at)) return wrapped(req, info);
    return app.fetch(req);
  });
  Deno.addSignalListener("SIGTERM", () => {
    void server.shutdown().then(() => queue.close()).then(() => Deno.exit(0));
  });
  console.log(`listening on http://127.0.0.1:${await ready}`); // once SIGTERM is handled
  await server.finished;
}

// ---- a minimal pipelined HTTP/1.1 client
const encoder = new TextEncoder();

/**
 * Finds the end of a response's headers in `buf[pos..len)`, noting
 * content-length on the way (byte level: cheap): the offset of the blank
 * line's CR (-1 when not all there yet) and the body length.
 */
function headerEnd(buf: Uint8Array, pos: number, len: number): [number, number] {
  let bodyLen = 0;
  for (let i = pos; i + 3 < len; i++) {
    if (buf[i] !== 13 || buf[i + 1] !== 10) continue;
    if (buf[i + 2] === 13 && buf[i + 3] === 10) return [i, bodyLen];
    // a header line starts at i + 2: "content-length:" (any case)
    if ((buf[i + 2] | 32) === 99 && (buf[i + 10] | 32) === 108 && buf[i + 16] === 58) {
      let j = i + 17;
      while (buf[j] === 32) j++;
      let v = 0;
      while (buf[j] >= 48 && buf[j] <= 57) v = v * 10 + buf[j++] - 48;
      bodyLen = v;
    }
  }
  return [-1, bodyLen];
}

/** Sends `path` requests on one connection, `depth` in flight, until `until()`; returns statuses/latencies. */
async function pipelined(
  port: number,
  path: string,
  depth: number,
  until: () => boolean,
  latencies?: number[],
): Promise<{ ok: number; other: number }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true);
  const req = encoder.encode(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n\r\n`,
  );
  let inflight = 0;
  let ok = 0;
  let other = 0;
  const sent: number[] = [];
  const send = async (n: number) => {
    if (n <= 0) return;
    const batch = new Uint8Array(req.length * n);
    for (let i = 0; i < n; i++) {
      batch.set(req, i * req.length);
      if (latencies) sent.push(performance.now());
    }
    inflight += n;
    let off = 0;
    while (off < batch.length) off += await conn.write(batch.subarray(off));
  };
  await send(depth);
  let buf = new Uint8Array(1 << 16);
  let len = 0;
  const chunk = new Uint8Array(1 << 16);
  while (inflight > 0) {
    const n = await conn.read(chunk);
    if (n === null) throw new Error("server closed the connection");
    if (len + n > buf.length) {
      const bigger = new Uint8Array(Math.max(buf.length * 2, len + n));
      bigger.set(buf.subarray(0, len));
      buf = bigger;
    }
    buf.set(chunk.subarray(0, n), len);
    len += n;
    let pos = 0;
    let done = 0;
    for (;;) {
      const [end, bodyLen] = headerEnd(buf, pos, len);
      if (end < 0) break;
      if (end + 4 + bodyLen > len) break;
      const status = (buf[pos + 9] - 48) * 100 + (buf[pos + 10] - 48) * 10 + (buf[pos + 11] - 48);
      if (status === 200) ok++;
      else other++;
      if (latencies) latencies.push(performance.now() - sent.shift()!);
      pos = end + 4 + bodyLen;
      done++;
    }
    if (pos > 0) {
      buf.copyWithin(0, pos, len);
      len -= pos;
    }
    inflight -= done;
    if (!until()) await send(done);
  }
  conn.close();
  return { ok, other };
}

/**
 * Round trips on one connection, one request at a time, interleaving `paths`
 * request by request (the order reversed every other block); the latencies
 * in microseconds, per path.
 */
async function interleaved(port: number, paths: string[], blocks: number): Promise<number[][]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true);
  const requests = paths.map((path) =>
    encoder.encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n\r\n`,
    )
  );
  const buf = new Uint8Array(1 << 16);
  const roundTrip = async (request: Uint8Array) => {
    const t0 = performance.now();
    let off = 0;
    while (off < request.length) off += await conn.write(request.subarray(off));
    let len = 0;
    for (;;) {
      const n = await conn.read(buf.subarray(len));
      if (n === null) throw new Error("server closed the connection");
      len += n;
      const [end, bodyLen] = headerEnd(buf, 0, len);
      if (end >= 0 && len >= end + 4 + bodyLen) {
        const status = (buf[9] - 48) * 100 + (buf[10] - 48) * 10 + (buf[11] - 48);
        if (status !== 200) throw new Error(`GET answered ${status}`);
        return (performance.now() - t0) * 1000;
      }
    }
  };
  const latencies = paths.map(() => [] as number[]);
  const order = paths.map((_, i) => i);
  for (let b = 0; b < blocks; b++) {
    for (const i of b % 2 ? [...order].reverse() : order) {
      const us = await roundTrip(requests[i]);
      if (b >= blocks / 10) latencies[i].push(us); // the first tenth warms up
    }
  }
  conn.close();
  return latencies;
}

/**
 * Pins this process (every thread) to the given CPUs with `taskset`; false
 * when that is not possible (no taskset, one CPU), and the bench runs unpinned.
 */
async function pinSelf(cpus: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("taskset", {
      args: ["-a", "-p", "-c", cpus, String(Deno.pid)],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

async function spawnServer(
  args: string[],
  env: Record<string, string> = {},
  cpus: string | null = null,
) {
  const child = new Deno.Command(cpus ? "taskset" : Deno.execPath(), {
    args: cpus ? ["-c", cpus, Deno.execPath(), ...args] : args,
    cwd: root,
    env: { METERBOOK_API_KEYS: KEYS_ENV, NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("server exited before listening");
    text += value;
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
    if (m) {
      void (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })();
      return { child, port: Number(m[1]) };
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      serve: { type: "string" },
      store: { type: "string" },
      seconds: { type: "string", default: "3" },
      connections: { type: "string", default: "8" },
      depth: { type: "string", default: "32" },
      "durable-connections": { type: "string", default: "256" },
      only: { type: "string", default: "inproc,seq,serve" },
      "same-load": { type: "boolean", default: false },
    },
  });
  if (values.serve) return serveMode(values.serve, values.store!);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const depth = Number(values.depth);
  const store = await Deno.makeTempDir({ prefix: "mb-bench-" });
  const results: Record<string, unknown> = {};
  try {
    const only = new Set(values.only!.split(","));
    // 1. in-process
    if (only.has("inproc")) {
      const queue = new QueueSink(new WalStore(`${store}/inproc`), { log: () => {} });
      const metered = buildApp(queue);
      const plain = buildApp(null);
      const init = { headers: { authorization: `Bearer ${KEY}` } };
      const batch = 1000;
      const rounds = 41;
      const time = async (app: Hono) => {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) await app.request("/v1/jobs/42", init);
        return ((performance.now() - t0) * 1000) / batch;
      };
      for (let i = 0; i < 5; i++) await time(metered), await time(plain); // warm up
      const m: number[] = [];
      const p: number[] = [];
      const d: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // paired and alternating, so that load from other processes cancels out
        const first = r % 2 ? await time(plain) : await time(metered);
        const second = r % 2 ? await time(metered) : await time(plain);
        const [pm, mm] = r % 2 ? [first, second] : [second, first];
        p.push(pm);
        m.push(mm);
        d.push(mm - pm);
      }
      const stats = await queue.close();
      // the core alone: begin + finish with a no-op sink that builds every event at once
      // (write), and with one that takes the builder as the queue does (writeLater: the event
      // is built after the response)
      const auth = new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey(KEY) }]);
      const header = `Bearer ${KEY}`;
      const loop = async (sink: EventSink) => {
        const core = new MeterCore({ sink, auth });
        const n = 200_000;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          await core.finish(core.begin(header), "/v1/jobs/:id", "GET", 200);
        }
        return ((performance.now() - t0) * 1000) / n;
      };
      const coreUs = await loop({ write: () => Promise.resolve() });
      const coreDeferredUs = await loop({ write: () => Promise.resolve(), writeLater: () => true });
      results.in_process = {
        method:
          `app.request(), ${rounds} paired rounds x ${batch} requests, median of per-round means (added: median of paired differences)`,
        plain_us: +median(p).toFixed(2),
        metered_us: +median(m).toFixed(2),
        added_us: +median(d).toFixed(2),
        core_only_us: +coreUs.toFixed(2),
        core_only_deferred_us: +coreDeferredUs.toFixed(2),
        events_stored: stats.flushed,
        events_expected: (2 * rounds + 10) * batch / 2,
      };
      console.log("in-process:", JSON.stringify(results.in_process));
    }

    // 2. loopback, sequential round trips: one server process serves the same handler metered and
    // not, under Hono and under Deno.serve; the client interleaves the five request by request,
    // so that the process-to-process and second-to-second drift of a round trip cancels.
    if (only.has("seq")) {
      const blocks = 5000;
      // the client on CPU 0, the server on CPU 1 (when there are two and taskset is there), so
      // that neither evicts the other's caches between round trips, as on separate machines
      const cpuCount = navigator.hardwareConcurrency;
      const pinned = cpuCount >= 2 && await pinSelf("0");
      const measure = async (kind: string) => {
        const { child, port } = await spawnServer(
          [
            "run",
            "-q",
            "-A",
            "bench/metering.ts",
            "--serve",
            kind,
            "--store",
            `${store}/seq-${kind}`,
          ],
          {},
          pinned ? "1" : null,
        );
        const paths = [
          "/plain/jobs/42",
          "/v1/jobs/42",
          "/pass/jobs/42",
          "/dplain/jobs/42",
          "/dv1/jobs/42",
        ];
        const [plain, metered, pass, dplain, dmetered] = await interleaved(port, paths, blocks);
        child.kill("SIGTERM");
        await child.status;
        const q = (xs: number[], p: number) =>
          [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)];
        return {
          hono_plain_us: +median(plain).toFixed(1),
          hono_metered_us: +median(metered).toFixed(1),
          hono_added_us: +(median(metered) - median(plain)).toFixed(1),
          hono_added_p25_us: +(q(metered, 0.25) - q(plain, 0.25)).toFixed(1),
          hono_passthrough_added_us: +(median(pass) - median(plain)).toFixed(1),
          hono_added_over_passthrough_us: +(median(metered) - median(pass)).toFixed(1),
          serve_plain_us: +median(dplain).toFixed(1),
          serve_metered_us: +median(dmetered).toFixed(1),
          serve_added_us: +(median(dmetered) - median(dplain)).toFixed(1),
          serve_added_p25_us: +(q(dmetered, 0.25) - q(dplain, 0.25)).toFixed(1),
        };
      };
      const byDefault = await measure("metered");
      const withHeader = await measure("metered-header");
      if (pinned) await pinSelf(`0-${cpuCount - 1}`);
      results.loopback_sequential = {
        method: `1 connection, 1 request in flight, one server; ${blocks} blocks of 5 requests ` +
          `(Hono route and Deno.serve handler, each metered and not, and the Hono route behind a ` +
          `pass-through middleware) interleaved, the first tenth warming up; added: difference ` +
          `of the medians (and of the 25th percentiles)` +
          (pinned ? "; client pinned to CPU 0, server to CPU 1" : "; unpinned"),
        ...byDefault,
        with_event_id_header: {
          hono_added_us: withHeader.hono_added_us,
          serve_added_us: withHeader.serve_added_us,
        },
      };
      console.log("loopback sequential:", JSON.stringify(results.loopback_sequential));
    }

    // 3. sustained throughput of `deno task serve`, async and durable
    for (const mode of only.has("serve") ? ["async", "durable"] : []) {
      // HTTP/1.1 serves a connection's pipelined requests one at a time, so
      // durable mode (each response waits for an fsync) needs many connections
      // in flight to fill each group commit.
      const same = values["same-load"] === true;
      const conns = mode === "durable" || same
        ? Number(values["durable-connections"])
        : connections;
      const pipe = mode === "durable" || same ? 1 : depth;
      const dir = `${store}/serve-${mode}`;
      const { child, port } = await spawnServer([
        "run",
        "-A",
        "src/cli.ts",
        "serve",
        "--port",
        "0",
        "--store",
        dir,
        ...(mode === "durable" ? ["--durable"] : []),
      ]);
      // warm up for half a second
      const warmUntil = performance.now() + 500;
      const w = await pipelined(port, "/v1/whoami", depth, () => performance.now() > warmUntil);
      const warm = w.ok + w.other;
      /** `conns` connections x `pipe` on `path` for `seconds`: responses and seconds taken. */
      const load = async (path: string, forSeconds = seconds) => {
        let stop = false;
        const t0 = performance.now();
        const timer = setTimeout(() => (stop = true), forSeconds * 1000);
        const all = await Promise.all(
          Array.from({ length: conns }, () => pipelined(port, path, pipe, () => stop)),
        );
        const elapsed = (performance.now() - t0) / 1000;
        clearTimeout(timer);
        const ok = all.reduce((s, r) => s + r.ok, 0);
        const other = all.reduce((s, r) => s + r.other, 0);
        return { ok, other, elapsed };
      };
      // the bare baseline: the same server's unmetered route (GET /healthz: no meter, no event,
      // no fsync) under the same load, half before and half after the metered run, so that a
      // machine whose speed drifts during the run moves both sides of the ratio alike
      const before = await load("/healthz", seconds / 2);
      const { ok, other, elapsed } = await load("/v1/whoami");
      const after = await load("/healthz", seconds / 2);
      const bare = {
        ok: before.ok + after.ok,
        other: before.other + after.other,
        elapsed: before.elapsed + after.elapsed,
      };
      if (bare.other > 0) {
        throw new Error(`GET /healthz answered ${bare.other} non-200 response(s)`);
      }
      child.kill("SIGTERM");
      await child.status;
      const stored = (await readWalEvents(dir)).length;
      const sent = ok + other + warm;
      const row = {
        method: `${conns} connections x ${pipe} pipelined, ${seconds} s, GET /v1/whoami (metered)`,
        requests_per_s: Math.round(ok / elapsed),
        unmetered_requests_per_s: Math.round(bare.ok / bare.elapsed),
        metered_over_unmetered: Math.round((ok / elapsed) / (bare.ok / bare.elapsed) * 100) / 100,
        responses_200: ok,
        other_responses: other,
        events_stored: stored,
        events_expected: sent,
        lost: sent - stored,
      };
      results[`serve_${mode}`] = row;
      console.log(`serve ${mode}:`, JSON.stringify(row));
    }
    results.machine = { cores: navigator.hardwareConcurrency, loadavg: Deno.loadavg() };
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await Deno.remove(store, { recursive: true });
  }
}

await main();
