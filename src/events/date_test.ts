import assert from "node:assert/strict";
import { isCalendarDate } from "./date.ts";

Deno.test("isCalendarDate: real days only, leap years by the Gregorian rule, years 0000-9999", () => {
  for (const ok of ["2026-10-03", "2028-02-29", "2000-02-29", "0000-02-29", "9999-12-31"]) {
    assert.ok(isCalendarDate(ok), ok);
  }
  for (
    const bad of [
      "2026-02-29",
      "2100-02-29",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-10-00",
      "2026-10-3",
      "26-10-03",
      "",
    ]
  ) {
    assert.ok(!isCalendarDate(bad), bad);
  }
});
