import assert from "node:assert/strict";
import { localMonthRange } from "./month_range.ts";
import { monthEndMs, monthStartMs } from "./month.ts";

Deno.test("localMonthRange gives the UTC instants of local month boundaries", () => {
  const iso = ([a, b]: [number, number]) => [new Date(a).toISOString(), new Date(b).toISOString()];
  assert.deepEqual(iso(localMonthRange("2026-10", "Europe/Berlin")), [
    "2026-09-30T22:00:00.000Z", // CEST
    "2026-10-31T23:00:00.000Z", // CET after the October change
  ]);
  assert.deepEqual(iso(localMonthRange("2026-12", "America/New_York")), [
    "2026-12-01T05:00:00.000Z",
    "2027-01-01T05:00:00.000Z",
  ]);
  assert.deepEqual(iso(localMonthRange("2026-10", "UTC")), [
    "2026-10-01T00:00:00.000Z",
    "2026-11-01T00:00:00.000Z",
  ]);
  assert.throws(() => localMonthRange("2026-10", "Mars/Olympus"), /Unknown time zone/);
});

Deno.test("monthStartMs and monthEndMs: any four-digit year, 0000-0099 and 9999-12 included", () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  assert.equal(iso(monthStartMs("2026-10")), "2026-10-01T00:00:00.000Z");
  assert.equal(iso(monthEndMs("2026-12")), "2027-01-01T00:00:00.000Z");
  assert.equal(iso(monthStartMs("0050-03")), "0050-03-01T00:00:00.000Z"); // not 1950
  assert.equal(monthEndMs("0000-02") - monthStartMs("0000-02"), 29 * 86_400_000); // year 0: leap
  assert.equal(iso(monthEndMs("9999-12")), "+010000-01-01T00:00:00.000Z");
});
