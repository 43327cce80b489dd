import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "./cli.ts";

const DATA = new URL("../data/", import.meta.url).pathname;

Deno.test("cli: a file-system error (output under a file) is one line and exit 1, no stack", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-cli-fs-" });
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  try {
    await Deno.writeTextFile(join(dir, "file"), "");
    const code = await main([
      "invoice",
      "--month",
      "2026-10",
      "--store",
      join(dir, "events"),
      "--plans",
      `${DATA}plans.json`,
      "--tenants",
      `${DATA}tenants.json`,
      "--out",
      join(dir, "file", "out"), // a folder under a plain file: ENOTDIR
    ]);
    assert.equal(code, 1);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], /^meterbook invoice: .*Not a directory.*file/);
    assert.ok(!errors[0].includes("\n"), "one line");
  } finally {
    console.error = original;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: a damaged store file is one line naming it and the fix, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-cli-corrupt-" });
  const errors: string[] = [];
  const original = console.error;
  const originalLog = console.log;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  console.log = () => {};
  try {
    const store = join(dir, "events");
    assert.equal(
      await main(["generate", "--scenario", "seed", "--seed", "1", "--store", store]),
      0,
    );
    const file = join(store, "month=2026-10", "events.parquet");
    await Deno.writeTextFile(file, "garbage");
    errors.length = 0;
    const code = await main([
      "invoice",
      "--month",
      "2026-10",
      "--store",
      store,
      "--plans",
      `${DATA}plans.json`,
      "--tenants",
      `${DATA}tenants.json`,
      "--out",
      join(dir, "out"),
    ]);
    assert.equal(code, 1);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.ok(!errors[0].includes("\n"), "one line");
    assert.ok(errors[0].includes(file), errors[0]);
    assert.match(errors[0], /restore it from a backup/);
  } finally {
    console.error = original;
    console.log = originalLog;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: invoice bills the events still in the metering WAL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mb-cli-wal-" });
  try {
    const store = join(dir, "events");
    await Deno.mkdir(join(store, "wal"), { recursive: true });
    const event = {
      id: "0192aaaa-0000-7000-8000-000000000001",
      ts: "2026-10-15T12:00:00.000Z",
      tenant_id: "dept_a",
      event_type: "api_call",
      compute_units: 1000,
    };
    await Deno.writeTextFile(
      join(store, "wal", "0192aaaa-0000-7000-8000-000000000001.ndjson"),
      JSON.stringify(event) + "\n",
    );
    const code = await main([
      "invoice",
      "--month",
      "2026-10",
      "--store",
      store,
      "--plans",
      `${DATA}plans.json`,
      "--tenants",
      `${DATA}tenants.json`,
      "--out",
      join(dir, "out"),
    ]);
    assert.equal(code, 0);
    const run = JSON.parse(await Deno.readTextFile(join(dir, "out", "2026-10", "invoices.json")));
    const a = run.invoices.find((i: { tenant_id: string }) => i.tenant_id === "dept_a");
    // hybrid: $500 + 1000 units x $0.05
    assert.equal(a.total_minor, 55000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
