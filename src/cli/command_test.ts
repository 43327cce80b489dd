import assert from "node:assert/strict";
import {
  type Command,
  decimalOption,
  intOption,
  parseCommandArgs,
  parseDecimal,
  timestampOption,
} from "./command.ts";
import { UserError } from "../errors.ts";

Deno.test("intOption: decimal digits in range only, else one line naming the flag", () => {
  assert.equal(intOption("--port", "8080", 0, 65535), 8080);
  assert.equal(intOption("--port", undefined, 0, 65535), undefined);
  for (const bad of ["1e3", "0x10", "1.5", " 7 ", "", "70000"]) {
    assert.throws(
      () => intOption("--port", bad, 0, 65535),
      (e: unknown) =>
        e instanceof UserError &&
        e.message === `--port ${JSON.stringify(bad)}: expected an integer from 0 to 65535`,
    );
  }
});

Deno.test("parseDecimal and decimalOption: plain decimal notation only", () => {
  assert.equal(parseDecimal("1.03"), 1.03);
  assert.equal(parseDecimal(".5"), 0.5);
  assert.equal(parseDecimal("2."), 2);
  for (const bad of ["1e0", "0x10", "Infinity", " 7", "", "-1", "1.2.3", "1,5"]) {
    assert.ok(Number.isNaN(parseDecimal(bad)), bad);
  }
  assert.equal(decimalOption("--inflation", "1.05", 1), 1.05);
  assert.equal(decimalOption("--inflation", undefined, 1), undefined);
  assert.throws(
    () => decimalOption("--inflation", "1e0", 1),
    /^UserError: --inflation "1e0": expected a number >= 1$/,
  );
  assert.throws(() => decimalOption("--inflation", "0.9", 1), /expected a number >= 1/);
});

Deno.test("timestampOption: RFC 3339 with a zone, real calendar days only", () => {
  assert.equal(
    timestampOption("--ts", "2026-10-03T14:05:09Z")?.toISOString(),
    "2026-10-03T14:05:09.000Z",
  );
  assert.equal(
    timestampOption("--ts", "2026-10-03t09:05:09.5-05:00")?.toISOString(),
    "2026-10-03T14:05:09.500Z",
  );
  assert.equal(
    timestampOption("--ts", "2028-02-29T00:00:00+14:00")?.toISOString(),
    "2028-02-28T10:00:00.000Z", // a leap day, checked as written, before the offset
  );
  assert.equal(
    timestampOption("--ts", "2000-02-29T12:00:00.123456789Z")?.toISOString(),
    "2000-02-29T12:00:00.123Z",
  );
  assert.equal(timestampOption("--ts", undefined), undefined);
  for (
    const bad of [
      "2026-10-03",
      "2026-10-03T14:05:09",
      "Oct 3 2026",
      "2026-02-30T00:00:00Z",
      "2026-02-29T00:00:00Z",
      "2100-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-10-03T14:05Z",
      "2016-12-31T23:59:60Z",
      "2026-10-03T24:00:00Z",
      "2026-10-03T10:00:00+15:00",
      "",
    ]
  ) {
    assert.throws(
      () => timestampOption("--ts", bad),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          `--ts ${
            JSON.stringify(bad)
          }: expected a timestamp with its zone, like 2026-10-03T14:05:09Z`,
      bad,
    );
  }
});

Deno.test("parseCommandArgs: a flag's value missing is one line, ending in one full stop before the help hint", () => {
  const command: Command = {
    name: "report",
    summary: "",
    usage: "",
    description: "",
    options: { "lock-timeout": { type: "string", valueName: "MIN", description: "" } },
    run: () => Promise.resolve(0),
  };
  const now = new Date("2026-11-25T00:00:00Z");
  for (const args of [["--lock-timeout", "--month", "2026-10"], ["--no-such-flag"]]) {
    assert.throws(
      () => parseCommandArgs(command, args, now),
      (e: unknown) =>
        e instanceof UserError && !e.message.includes("\n") && !e.message.includes("..") &&
        /[^.]\. See: deno task report --help$/.test(e.message),
    );
  }
});
