/**
 * Case-count files: CSV with a header, columns `date` (YYYY-MM-DD, evenly
 * spaced: daily or weekly) and `cases` (counts >= 0). The spacing of the
 * dates gives the observation interval.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { isCalendarDate } from "../events/date.ts";

/** Observations read from a file. */
export interface ObservationSeries {
  /** Period-end dates, YYYY-MM-DD (empty strings when the file has no date column). */
  dates: string[];
  cases: Float64Array;
  /** Days per observation, from the date spacing (1 when there are no dates). */
  interval: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNT = /^\d+(\.\d+)?$/;
const DAY_MS = 86_400_000;

/**
 * Parses case-count CSV text; `source` names the file in messages.
 *
 * @example
 * ```ts
 * import { parseObservationsCsv } from "./obs.ts";
 * const s = parseObservationsCsv("date,cases\n2026-07-01,3\n2026-07-08,9\n");
 * s.interval; // 7
 * ```
 */
export function parseObservationsCsv(text: string, source = "observations"): ObservationSeries {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "" && !line.startsWith("#"));
  if (lines.length === 0) throw new UserError(`${source}: empty; expected a header "date,cases"`);
  const header = lines[0].split(",").map((h) => h.trim().toLowerCase());
  const casesCol = header.indexOf("cases");
  const dateCol = header.indexOf("date");
  if (casesCol < 0) {
    throw new UserError(
      `${source}: no "cases" column in the header ${
        JSON.stringify(lines[0])
      }; expected "date,cases"`,
    );
  }
  const rows = lines.slice(1);
  if (rows.length === 0) throw new UserError(`${source}: no rows after the header`);
  const dates: string[] = [];
  const cases = new Float64Array(rows.length);
  rows.forEach((line, i) => {
    const cells = line.split(",").map((c) => c.trim());
    const raw = cells[casesCol] ?? "";
    // plain decimals only: Number() would also take "0x10", "1e3", "" and "Infinity"
    if (!COUNT.test(raw)) {
      throw new UserError(
        `${source} line ${i + 2}: cases ${
          JSON.stringify(raw)
        } is not a count; write case counts as plain decimal numbers >= 0, like 12`,
      );
    }
    cases[i] = Number(raw);
    if (dateCol >= 0) {
      const d = cells[dateCol] ?? "";
      if (!DATE.test(d)) {
        throw new UserError(`${source} line ${i + 2}: date ${JSON.stringify(d)} is not YYYY-MM-DD`);
      }
      if (!isCalendarDate(d)) {
        throw new UserError(
          `${source} line ${i + 2}: date ${JSON.stringify(d)} is not a calendar date (YYYY-MM-DD)`,
        );
      }
      dates.push(d);
    } else dates.push("");
  });
  let interval = 1;
  if (dateCol >= 0 && dates.length > 1) {
    const t = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
    for (let i = 1; i < t.length; i++) {
      const gap = Math.round((t[i] - t[i - 1]) / DAY_MS);
      if (gap < 1) {
        throw new UserError(
          `${source} line ${i + 2}: date ${dates[i]} is ${gap === 0 ? "the same as" : "before"} ${
            dates[i - 1]
          } on the line above; give one row per period, oldest first`,
        );
      }
      if (i === 1) interval = gap;
      else if (gap !== interval) {
        throw new UserError(
          `${source} line ${i + 2}: date ${dates[i]} is ${gap} days after ${dates[i - 1]}, ` +
            `but the first rows are ${interval} days apart; dates must be evenly spaced`,
        );
      }
    }
  }
  return { dates, cases, interval };
}

/** Reads a case-count CSV file (see {@linkcode parseObservationsCsv}). */
export async function readObservationsCsv(path: string): Promise<ObservationSeries> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`Cannot read observations "${path}": no such file`);
    }
    throw error;
  }
  return parseObservationsCsv(text, `observations "${path}"`);
}

/** Formats dates and counts as `date,cases` CSV. */
export function formatObservationsCsv(dates: string[], cases: ArrayLike<number>): string {
  const lines = ["date,cases"];
  for (let i = 0; i < cases.length; i++) lines.push(`${dates[i]},${cases[i]}`);
  return lines.join("\n") + "\n";
}

/** The date `days` after `date` (YYYY-MM-DD, UTC). */
export function addDaysUtc(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
