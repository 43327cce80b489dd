import assert from "node:assert/strict";
import { addMonths, dateLabel, monthDates, monthLabel } from "./month.ts";

Deno.test("addMonths crosses years both ways", () => {
  assert.equal(addMonths("2026-01", -1), "2025-12");
  assert.equal(addMonths("2025-12", 1), "2026-01");
  assert.equal(addMonths("2026-10", -12), "2025-10");
});

Deno.test("monthDates derives issue and due dates from the month alone", () => {
  assert.deepEqual(monthDates("2026-10"), {
    periodStart: "2026-10-01",
    periodEnd: "2026-10-31",
    issueDate: "2026-11-01",
    dueDate: "2026-12-01",
  });
  assert.equal(monthDates("2028-02").periodEnd, "2028-02-29");
  assert.equal(monthDates("2026-12", { dueDays: 14 }).dueDate, "2027-01-15");
  assert.equal(monthLabel("2026-10"), "October 2026");
});

Deno.test("dateLabel names the day, month and year", () => {
  assert.equal(dateLabel("2026-11-01"), "1 November 2026");
  assert.equal(dateLabel("2027-01-31"), "31 January 2027");
});
