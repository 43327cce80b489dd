import assert from "node:assert/strict";
import { localMonthRange } from "./month_range.ts";

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
