import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { main } from "../cli.ts";
import { checkPort, listenError } from "./listen.ts";
import { startApiServer } from "./server.ts";

const data = (name: string) => new URL(`../../data/${name}`, import.meta.url).pathname;

/** Runs the CLI in this process; returns its exit code and what it printed on stderr. */
async function cli(args: string[]): Promise<{ code: number; stderr: string[] }> {
  const stderr: string[] = [];
  const error = console.error, log = console.log;
  console.error = (...parts: unknown[]) => stderr.push(parts.join(" "));
  console.log = () => {};
  try {
    return { code: await main(args), stderr };
  } finally {
    console.error = error;
    console.log = log;
  }
}

Deno.test("serve --port outside 0..65535 is a one-line user error, not a RangeError", async () => {
  for (const port of ["70000", "-1", "80.5", "0x50"]) {
    const { code, stderr } = await cli(["serve", "--port", port]);
    assert.equal(code, 1, port);
    assert.deepEqual(stderr, [
      `meterbook serve: --port ${JSON.stringify(port)}: expected an integer from 0 to 65535`,
    ]);
  }
  assert.throws(() => checkPort(65536), /port 65536: expected an integer from 0 to 65535/);
  assert.equal(checkPort(0), 0);
});

Deno.test("serve --enkf-queue with --enkf-workers 0 (no workers to wait for) is a one-line user error", async () => {
  for (const zero of ["0", "00"]) {
    const { code, stderr } = await cli(["serve", "--enkf-workers", zero, "--enkf-queue", "4"]);
    assert.equal(code, 1, zero);
    assert.equal(stderr.length, 1);
    assert.match(
      stderr[0],
      /^meterbook serve: --enkf-queue: .*--enkf-workers 0 .*drop one of the two$/,
    );
  }
  const bad = await cli(["serve", "--enkf-queue", "-1"]);
  assert.deepEqual(bad.stderr, [
    'meterbook serve: --enkf-queue "-1": expected an integer from 0 to 100000',
  ]);
});

Deno.test("serve on a busy port is a one-line user error naming host:port and the fix", async () => {
  const store = await Deno.makeTempDir();
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = busy.addr.port;
  try {
    await assert.rejects(
      startApiServer({
        store,
        plans: data("plans.json"),
        tenants: data("tenants.json"),
        obs: data("obs/sample.csv"),
        port,
        log: () => {},
      }),
      (error: unknown) => {
        assert.ok(error instanceof UserError, String(error));
        assert.equal(
          error.message,
          `cannot listen on 127.0.0.1:${port}: the port is in use (another server, or a serve ` +
            `still running); stop it, or pick another --port (0 picks a free one)`,
        );
        return true;
      },
    );
    // and through the CLI: one line, no stack trace
    const { code, stderr } = await cli([
      "serve",
      "--port",
      String(port),
      "--store",
      store,
      "--plans",
      data("plans.json"),
      "--tenants",
      data("tenants.json"),
      "--obs",
      data("obs/sample.csv"),
    ]);
    assert.equal(code, 1);
    assert.equal(stderr.length, 1, stderr.join("\n"));
    assert.match(
      stderr[0],
      /^meterbook serve: cannot listen on 127\.0\.0\.1:\d+: the port is in use/,
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("listenError turns the address and permission errors into user errors with a fix", () => {
  const cases: Array<[Error, RegExp]> = [
    [
      new Deno.errors.AddrNotAvailable("os error 99"),
      /10\.9\.9\.9 is not an address of this machine; use --hostname 127\.0\.0\.1/,
    ],
    [
      new Deno.errors.PermissionDenied("os error 13"),
      /permission denied by the system \(ports below 1024 need privileges\); use a port from 1024 up/,
    ],
    [
      new Deno.errors.NotCapable("net"),
      /Deno has no network permission for it; run with --allow-net/,
    ],
  ];
  for (const [error, message] of cases) {
    const mapped = listenError(error, "10.9.9.9", 80);
    assert.ok(mapped instanceof UserError);
    assert.match(mapped.message, /^cannot listen on 10\.9\.9\.9:80: /);
    assert.match(mapped.message, message);
  }
  const bug = new TypeError("something else");
  assert.equal(listenError(bug, "127.0.0.1", 8787), bug); // not a user's mistake: unchanged
});
