import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { checkMonthEnded, monthFlag } from "./open_month.ts";

Deno.test("checkMonthEnded: an ended month passes; an open or future one is refused or provisional", () => {
  const now = new Date("2026-11-01T03:00:00Z");
  assert.equal(checkMonthEnded("2026-10", { now }), null);
  // 03:00 UTC on 1 November is still 31 October in Chicago
  assert.throws(
    () => checkMonthEnded("2026-10", { now, timeZones: { chi: "America/Chicago" } }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        "--month 2026-10: October 2026 has not ended yet: it ends 2026-11-01T05:00Z, midnight in " +
          "America/Chicago for tenant chi; rerun after 2026-11-01T05:00Z, or pass " +
          "--allow-open-month to write it marked provisional",
  );
  assert.throws(() => checkMonthEnded("2030-01", { now }), /January 2030 has not ended yet/);
  const note = checkMonthEnded("2026-11", { now, allowOpenMonth: true });
  assert.equal(
    note,
    "Provisional: the month has not ended (November 2026 ends 2026-12-01T00:00Z); usage, " +
      "invoices and totals will change.",
  );
});

Deno.test("checkMonthEnded: the message names the flag as given (--month previous) with one level of parentheses", () => {
  const now = new Date("2026-12-01T03:00:00Z");
  assert.throws(
    () =>
      checkMonthEnded("2026-11", {
        now,
        timeZones: { dept_e: "America/Chicago" },
        flag: "--month previous (2026-11)",
      }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message.startsWith("--month previous (2026-11): November 2026 has not ended yet: ") &&
      e.message.includes("rerun after 2026-12-01T06:00Z") &&
      !/\([^)]*\(/.test(e.message),
  );
  const note = checkMonthEnded("2026-11", {
    now,
    timeZones: { dept_e: "America/Chicago" },
    allowOpenMonth: true,
  })!;
  assert.ok(
    note.startsWith(
      "Provisional: the month has not ended (November 2026 ends 2026-12-01T06:00Z, midnight in " +
        "America/Chicago for tenant dept_e); ",
    ),
    note,
  );
  assert.ok(!/\([^)]*\(/.test(note), "no nested parentheses");
});

Deno.test("monthFlag: the month before now is named as --month previous resolves it", () => {
  const now = new Date("2026-12-01T03:00:00Z");
  assert.equal(monthFlag("2026-11", now), "--month previous (2026-11)");
  assert.equal(monthFlag("2026-10", now), "--month 2026-10");
  assert.equal(
    monthFlag("2026-12", new Date("2027-01-01T03:00:00Z")),
    "--month previous (2026-12)",
  );
  assert.equal(monthFlag(undefined, now), undefined);
});
