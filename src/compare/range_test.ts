import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { openMonthNote, resolveCompareRange, storeReach } from "./range.ts";

const MONTHS = ["2025-11", "2025-12", "2026-10"];
const store = "data/events";

Deno.test("compare range: default every month of the store; a --to after the last month with data is refused", () => {
  assert.deepEqual(resolveCompareRange(MONTHS, { store }), { from: "2025-11", to: "2026-10" });
  assert.deepEqual(resolveCompareRange(MONTHS, { store, from: "2025-06", to: "2025-12" }), {
    from: "2025-06",
    to: "2025-12",
  });
  assert.throws(
    () => resolveCompareRange(MONTHS, { store, to: "2030-01" }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        '--to 2030-01 is after the last month with data in "data/events" (2026-10): ' +
          "pass --to 2026-10 or earlier, or leave --to out",
  );
  assert.throws(
    () => resolveCompareRange(MONTHS, { store, from: "2026-11" }),
    /--from 2026-11 is after the last month with data in "data\/events" \(2026-10\)/,
  );
  assert.throws(
    () => resolveCompareRange(MONTHS, { store, to: "2026-11", toFlag: "--month" }),
    /: --month 2026-11 is after the last month/,
  );
  assert.throws(() => resolveCompareRange([], { store }), /No usage in "data\/events"/);
});

Deno.test("compare range: a zoned tenant's local month just past either end of the store is in range", () => {
  // Chicago (west of UTC) reaches back into October 2025, Tokyo (east) forward into November 2026.
  assert.deepEqual(storeReach(MONTHS, { chi: "America/Chicago" }), {
    first: "2025-10",
    last: "2026-10",
  });
  assert.deepEqual(storeReach(MONTHS, { tyo: "Asia/Tokyo" }), {
    first: "2025-11",
    last: "2026-11",
  });
  assert.deepEqual(storeReach(MONTHS, { utc: "UTC" }), { first: "2025-11", last: "2026-10" });
  assert.equal(storeReach([], {}), null);
  const timeZones = { chi: "America/Chicago", tyo: "Asia/Tokyo" };
  assert.deepEqual(resolveCompareRange(MONTHS, { store, timeZones }), {
    from: "2025-10",
    to: "2026-11",
  });
  // --to may name the Tokyo tenant's November, not later
  assert.deepEqual(resolveCompareRange(MONTHS, { store, timeZones, to: "2026-11" }), {
    from: "2025-10",
    to: "2026-11",
  });
  assert.throws(
    () => resolveCompareRange(MONTHS, { store, timeZones, to: "2026-12" }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        '--to 2026-12 is after the last month with data in "data/events" (2026-10, or 2026-11 in ' +
          "a tenant's time zone): pass --to 2026-11 or earlier, or leave --to out",
  );
  // Chicago alone cannot reach past the last partition
  assert.throws(
    () =>
      resolveCompareRange(MONTHS, { store, timeZones: { chi: "America/Chicago" }, to: "2026-11" }),
    /\(2026-10\): pass --to 2026-10 or earlier/,
  );
});

Deno.test("compare range: the open-month note follows the shared month-end rule (UTC and every tenant's zone)", () => {
  assert.equal(
    openMonthNote("2026-10", { now: new Date("2026-10-20T00:00:00Z") }),
    "2026-10 has not ended yet, so its figures are partial: it ends 2026-11-01T00:00Z",
  );
  const early = new Date("2026-11-01T03:00:00Z");
  assert.equal(openMonthNote("2026-10", { now: early }), null);
  // 03:00Z on 1 November is still October in Chicago
  assert.equal(
    openMonthNote("2026-10", { now: early, timeZones: { chi: "America/Chicago" } }),
    "2026-10 has not ended yet, so its figures are partial: it ends 2026-11-01T05:00Z, " +
      "midnight in America/Chicago for tenant chi",
  );
});
