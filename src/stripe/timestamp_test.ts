import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { meterEventTimestamp, meterMonthBounds } from "./timestamp.ts";

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

Deno.test("timestamp is the month's last second, or now when sooner", () => {
  assert.equal(
    iso(meterEventTimestamp("2026-10", new Date("2026-11-02T00:00:00Z"))),
    "2026-10-31T23:59:59.000Z",
  );
  assert.equal(
    iso(meterEventTimestamp("2026-11", new Date("2026-11-25T04:50:12.345Z"))),
    "2026-11-25T04:50:12.000Z",
  );
  assert.equal(
    iso(meterEventTimestamp("2026-02", new Date("2026-03-01T00:00:00Z"))),
    "2026-02-28T23:59:59.000Z",
  );
  // the value the JSDoc example gives
  assert.equal(meterEventTimestamp("2026-10", new Date("2026-11-03T00:00:00Z")), 1793491199);
});

Deno.test("timestamp follows a tenant's time zone", () => {
  const now = new Date("2026-11-03T00:00:00Z");
  assert.equal(
    iso(meterEventTimestamp("2026-10", now, { timeZone: "America/Chicago" })),
    "2026-11-01T04:59:59.000Z",
  );
  assert.equal(
    iso(meterEventTimestamp("2026-10", now, { timeZone: "Asia/Tokyo" })),
    "2026-10-31T14:59:59.000Z",
  );
  assert.equal(iso(meterMonthBounds("2026-03", "Europe/Berlin").end), "2026-03-31T22:00:00.000Z");
});

Deno.test("a month older than 35 days is refused, naming the month and the rule", () => {
  assert.throws(
    () => meterEventTimestamp("2026-09", new Date("2026-11-25T00:00:00Z")),
    (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /Cannot push month 2026-09/);
      assert.match(error.message, /past 35 days/);
      return true;
    },
  );
  // 34 days after the end is fine.
  meterEventTimestamp("2026-10", new Date("2026-12-04T00:00:00Z"));
});

Deno.test("a month that has not started is refused", () => {
  assert.throws(
    () => meterEventTimestamp("2026-12", new Date("2026-11-25T00:00:00Z")),
    /has not started/,
  );
});

Deno.test("meter months use the warehouse's local-month computation, so both always agree", async () => {
  const { localMonthRange } = await import("../events/month_range.ts");
  for (const zone of ["America/Chicago", "Australia/Lord_Howe", "Pacific/Apia"]) {
    const [start, end] = localMonthRange("2026-03", zone);
    assert.deepEqual(meterMonthBounds("2026-03", zone), { start: start / 1000, end: end / 1000 });
  }
});
