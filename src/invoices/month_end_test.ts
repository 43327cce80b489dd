import assert from "node:assert/strict";
import { latestEndedMonth, monthEnd, monthHasEnded } from "./month_end.ts";

Deno.test("monthEnd: a month ends at the latest local midnight over UTC and the tenants' zones", () => {
  assert.deepEqual(monthEnd("2026-10"), {
    end: new Date("2026-11-01T00:00:00Z"),
    zone: "UTC",
    tenant: null,
  });
  assert.deepEqual(monthEnd("2026-12", { chi: "America/Chicago", tyo: "Asia/Tokyo" }), {
    end: new Date("2027-01-01T06:00:00Z"),
    zone: "America/Chicago",
    tenant: "chi",
  });
  // A zone east of UTC ends earlier, so UTC still ends last.
  assert.equal(monthEnd("2026-10", { tyo: "Asia/Tokyo" }).zone, "UTC");
});

Deno.test("monthHasEnded: November has ended in UTC at 00:00Z on 1 December, in Chicago at 06:00Z", () => {
  const zones = { dept_e: "America/Chicago" };
  assert.equal(monthHasEnded("2026-11", new Date("2026-12-01T00:00:00Z")), true);
  assert.equal(monthHasEnded("2026-11", new Date("2026-12-01T05:59:59Z"), zones), false);
  assert.equal(monthHasEnded("2026-11", new Date("2026-12-01T06:00:00Z"), zones), true);
  // UTC-12: the last zone to end a month, at 12:00Z on the 1st
  assert.equal(
    monthHasEnded("2026-11", new Date("2026-12-01T11:59:00Z"), { x: "Etc/GMT+12" }),
    false,
  );
});

Deno.test("latestEndedMonth: the latest stored month that has ended in UTC and every tenant's zone", () => {
  const now = new Date("2026-11-25T10:00:00Z");
  assert.equal(latestEndedMonth(["2026-09", "2026-10", "2026-11", "2027-01"], now), "2026-10");
  assert.equal(latestEndedMonth(["2026-11"], now), null);
  assert.equal(latestEndedMonth([], now), null);
  // 03:00Z on 1 December: November has ended in UTC, not yet in Chicago
  const early = new Date("2026-12-01T03:00:00Z");
  assert.equal(latestEndedMonth(["2026-10", "2026-11"], early), "2026-11");
  assert.equal(
    latestEndedMonth(["2026-10", "2026-11"], early, { dept_e: "America/Chicago" }),
    "2026-10",
  );
});
