import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { resolveCompareRange } from "./range.ts";

const MONTHS = ["2025-11", "2025-12", "2026-10"];
const store = "data/events";

Deno.test("compare range: default every month of the store; a --to after the last month with data is refused", () => {
  assert.deepEqual(resolveCompareRange(MONTHS, { store }), {
    from: "2025-11",
    to: "2026-10",
    notes: [],
  });
  assert.deepEqual(resolveCompareRange(MONTHS, { store, from: "2025-06", to: "2025-12" }), {
    from: "2025-06",
    to: "2025-12",
    notes: [],
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

Deno.test("compare range: says so when the last month has not ended yet", () => {
  const r = resolveCompareRange(MONTHS, { store, now: new Date("2026-10-20T00:00:00Z") });
  assert.deepEqual(r.notes, ["2026-10 has not ended yet: its figures are partial"]);
  assert.deepEqual(
    resolveCompareRange(MONTHS, { store, now: new Date("2026-11-01T00:00:00Z") }).notes,
    [],
  );
});
