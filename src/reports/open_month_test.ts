import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { checkMonthEnded, monthEnd } from "./open_month.ts";

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

Deno.test("checkMonthEnded: an ended month passes; an open or future one is refused or provisional", () => {
  const now = new Date("2026-11-01T03:00:00Z");
  assert.equal(checkMonthEnded("2026-10", { now }), null);
  // 03:00 UTC on 1 November is still 31 October in Chicago
  assert.throws(
    () => checkMonthEnded("2026-10", { now, timeZones: { chi: "America/Chicago" } }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        "--month 2026-10: October 2026 has not ended yet (it ends 2026-11-01T05:00Z (tenant chi, " +
          "America/Chicago)): report an ended month, or pass --allow-open-month for a provisional report",
  );
  assert.throws(() => checkMonthEnded("2030-01", { now }), /January 2030 has not ended yet/);
  const note = checkMonthEnded("2026-11", { now, allowOpenMonth: true });
  assert.match(
    note!,
    /^Provisional: the month has not ended \(November 2026 ends 2026-12-01T00:00Z\)/,
  );
});
