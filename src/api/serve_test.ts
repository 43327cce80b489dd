/**
 * `deno task serve` as a subprocess under load: a graceful stop (SIGTERM)
 * loses no event, and with --durable a kill -9 loses no event whose response
 * was received.
 */
import assert from "node:assert/strict";
import { hashApiKey } from "../metering/auth.ts";
import { readWalEvents } from "../metering/wal.ts";

const root = new URL("../../", import.meta.url).pathname;
const KEYS: Record<string, string> = { dept_a: "sub-key-a", dept_b: "sub-key-b" };
const KEYS_ENV = Object.entries(KEYS).map(([t, k]) => `${t}:${hashApiKey(k)}`).join(",");

async function startServe(store: string, extra: string[], permissions = ["-A"]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "src/cli.ts", "serve", "--port", "0", "--store", store, ...extra],
    cwd: root,
    env: { METERBOOK_API_KEYS: KEYS_ENV, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TextLineStream(),
  );
  const errLines: string[] = [];
  const errDone = (async () => {
    for await (const line of stderr) errLines.push(line);
  })();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(new TextLineStream());
  const reader = lines.getReader();
  let url = "";
  const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited before listening:\n${errLines.join("\n")}`);
    const m = /listening on (http:\/\/\S+)/.exec(value);
    if (m) {
      url = m[1];
      break;
    }
  }
  clearTimeout(deadline);
  const outDone = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return { child, url, errLines, done: Promise.all([errDone, outDone]) };
}

/** Workers sending requests back to back until the server goes away; the ids of 200s received. */
function load(url: string, workers: number) {
  const received: string[] = [];
  const client = Deno.createHttpClient({});
  let stop = false;
  const tenants = Object.keys(KEYS);
  const all = Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (!stop) {
      try {
        const res = await fetch(`${url}/v1/whoami`, {
          client,
          headers: { authorization: `Bearer ${KEYS[tenants[w % tenants.length]]}` },
        });
        await res.body?.cancel();
        if (res.status === 200) received.push(res.headers.get("x-usage-event-id")!);
        else if (res.status !== 503) throw new Error(`unexpected status ${res.status}`);
      } catch (error) {
        if (error instanceof Error && /unexpected status/.test(error.message)) throw error;
        return; // connection refused/reset: the server is gone
      }
    }
  }));
  return {
    received,
    async finish() {
      stop = true;
      await all;
      client.close();
    },
  };
}

/** Splits text chunks into lines. */
class TextLineStream extends TransformStream<string, string> {
  constructor() {
    let buffer = "";
    super({
      transform(chunk, controller) {
        buffer += chunk;
        const parts = buffer.split("\n");
        buffer = parts.pop()!;
        for (const line of parts) controller.enqueue(line);
      },
      flush(controller) {
        if (buffer) controller.enqueue(buffer);
      },
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("serve: SIGTERM during load drains the queue; every answered request's event is stored", async () => {
  const store = await Deno.makeTempDir();
  try {
    const { child, url, errLines, done } = await startServe(store, ["--flush-ms", "200"]);
    const traffic = load(url, 16);
    await sleep(400);
    child.kill("SIGTERM");
    const status = await child.status;
    await traffic.finish();
    await done;
    assert.equal(status.code, 0, errLines.join("\n"));
    assert.ok(traffic.received.length > 50, `only ${traffic.received.length} requests answered`);
    const stored = new Set((await readWalEvents(store)).map((e) => e.id));
    const missing = traffic.received.filter((id) => !stored.has(id));
    assert.deepEqual(missing, []);
    assert.match(errLines.join("\n"), /serve: stopped; \d+ event\(s\) stored, 0 shed/);
    assert.ok(!errLines.some((l) => l.includes("thread CPU")), "FFI allowed: no CPU warning");
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("serve --durable: kill -9 during load loses no event whose response was received", async () => {
  const store = await Deno.makeTempDir();
  try {
    const { child, url, done } = await startServe(store, ["--durable"]);
    const traffic = load(url, 16);
    await sleep(500);
    child.kill("SIGKILL");
    await child.status;
    await traffic.finish();
    await done;
    assert.ok(traffic.received.length > 50, `only ${traffic.received.length} requests answered`);
    const stored = new Set((await readWalEvents(store)).map((e) => e.id));
    const missing = traffic.received.filter((id) => !stored.has(id));
    assert.deepEqual(
      missing,
      [],
      `${missing.length} of ${traffic.received.length} acknowledged events lost`,
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("serve without FFI: one warning line at start says jobs are billed the whole process's CPU time", async () => {
  const store = await Deno.makeTempDir();
  try {
    // every permission serve needs except FFI: thread CPU time cannot be read
    const permissions = [
      "--allow-read",
      "--allow-write",
      "--allow-net",
      "--allow-env",
      "--allow-sys",
    ];
    const { child, errLines, done } = await startServe(store, [], permissions);
    child.kill("SIGTERM");
    const status = await child.status;
    await done;
    assert.equal(status.code, 0, errLines.join("\n"));
    const warnings = errLines.filter((l) => l.includes("thread CPU time is unavailable"));
    assert.equal(warnings.length, 1, errLines.join("\n"));
    assert.match(
      warnings[0],
      /^serve: warning: thread CPU time is unavailable .*billed the whole process's CPU time .*--allow-ffi/,
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
