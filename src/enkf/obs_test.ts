import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import {
  addDaysUtc,
  formatObservationsCsv,
  parseObservationsCsv,
  readObservationsCsv,
} from "./obs.ts";

Deno.test("parseObservationsCsv reads dates and counts and infers the interval", () => {
  const weekly = parseObservationsCsv("date,cases\n2026-07-07,3\n2026-07-14,9\n2026-07-21,20\n");
  assert.equal(weekly.interval, 7);
  assert.deepEqual([...weekly.cases], [3, 9, 20]);
  assert.deepEqual([...parseObservationsCsv("date,cases\n2026-02-28,2.5\n").cases], [2.5]);
  assert.equal(parseObservationsCsv("date,cases\n2028-02-29,1\n").dates[0], "2028-02-29"); // leap
  const noDates = parseObservationsCsv("cases\n1\n2\n");
  assert.equal(noDates.interval, 1);
  const text = formatObservationsCsv(["2026-07-01", "2026-07-02"], [1, 5]);
  assert.deepEqual([...parseObservationsCsv(text).cases], [1, 5]);
  assert.equal(addDaysUtc("2026-12-30", 3), "2027-01-02");
});

Deno.test("bad observation files get clear one-line errors: counts, calendar dates, order, spacing", async () => {
  const bad: Array<[string, RegExp]> = [
    ["", /empty/],
    ["date,count\n2026-07-01,1\n", /no "cases" column/],
    ["date,cases\n", /no rows after the header/],
    ["date,cases\n2026-07-01,-3\n", /line 2: cases "-3" is not a count/],
    ["date,cases\n2026-07-01,NaN\n", /line 2: cases "NaN" is not a count/],
    ["date,cases\n2026-07-01,\n", /line 2: cases "" is not a count/],
    ["date,cases\n07/01/2026,1\n", /date "07\/01\/2026" is not YYYY-MM-DD/],
    [
      "date,cases\n2026-07-01,1\n2026-07-02,1\n2026-07-04,1\n",
      /line 4: date 2026-07-04 is 2 days after 2026-07-02, but the first rows are 1 days apart/,
    ],
    // counts are plain decimals: no hex, exponents, signs or spaces inside
    ["date,cases\n2026-07-01,0x10\n", /line 2: cases "0x10" is not a count; write case counts/],
    ["date,cases\n2026-07-01,1e3\n", /line 2: cases "1e3" is not a count/],
    ["date,cases\n2026-07-01,+3\n", /line 2: cases "\+3" is not a count/],
    ["date,cases\n2026-07-01,Infinity\n", /line 2: cases "Infinity" is not a count/],
    // dates are real calendar dates, increasing, one row per period
    ["date,cases\n2026-02-30,1\n", /line 2: date "2026-02-30" is not a calendar date/],
    ["date,cases\n2026-13-01,1\n", /line 2: date "2026-13-01" is not a calendar date/],
    [
      "date,cases\n2026-07-02,1\n2026-07-01,1\n",
      /line 3: date 2026-07-01 is before 2026-07-02 on the line above; give one row per period, oldest first/,
    ],
    [
      "date,cases\n2026-07-01,1\n2026-07-01,1\n",
      /line 3: date 2026-07-01 is the same as 2026-07-01 on the line above/,
    ],
    [
      "date,cases\n2026-07-01,1\n2026-07-02,1\n2026-07-01,1\n",
      /line 4: date 2026-07-01 is before 2026-07-02/,
    ],
  ];
  for (const [text, message] of bad) {
    assert.throws(
      () => parseObservationsCsv(text),
      (e: unknown) => e instanceof UserError && message.test(e.message),
    );
  }
  await assert.rejects(readObservationsCsv("/nonexistent/obs.csv"), /no such file/);
});

Deno.test("the committed sample files parse", async () => {
  const daily = await readObservationsCsv(
    new URL("../../data/obs/sample.csv", import.meta.url).pathname,
  );
  assert.equal(daily.interval, 1);
  assert.equal(daily.cases.length, 70);
  const weekly = await readObservationsCsv(
    new URL("../../data/obs/sample_weekly.csv", import.meta.url).pathname,
  );
  assert.equal(weekly.interval, 7);
  // the same seeded draws: each of the first 10 weeks sums 7 daily counts
  for (let w = 0; w < 10; w++) {
    let sum = 0;
    for (let d = 0; d < 7; d++) sum += daily.cases[7 * w + d];
    assert.equal(weekly.cases[w], sum);
  }
});
