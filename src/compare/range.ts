/**
 * The months a comparison covers: `--from`/`--to` checked against the months
 * the store holds, so that a range never runs past the last month with data
 * (a future `--to` would back-test empty months).
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** Options of {@linkcode resolveCompareRange}. */
export interface CompareRangeOptions {
  /** The first month asked for (default: the store's first). */
  from?: string;
  /** The last month asked for (default: the store's last). */
  to?: string;
  /** The store, named in messages. */
  store: string;
  /** "Now", to say when the last month has not ended yet (default: no such note). */
  now?: Date;
  /** The flag named in messages for `to` (default `--to`; `--month` when that was given). */
  toFlag?: string;
  /** The flag named in messages for `from` (default `--from`). */
  fromFlag?: string;
}

/** The resolved range and what to tell the user about it. */
export interface CompareRange {
  from: string;
  to: string;
  /** Notes for the console, e.g. that the last month is still open. */
  notes: string[];
}

/**
 * Resolves the comparison range: default every month of the store; a `to`
 * after the store's last month, or a `from` after it, is a one-line
 * {@linkcode UserError} naming the last month with data.
 *
 * @example
 * ```ts
 * import { resolveCompareRange } from "./range.ts";
 * resolveCompareRange(["2026-09", "2026-10"], { store: "data/events" });
 * // { from: "2026-09", to: "2026-10", notes: [] }
 * // resolveCompareRange(["2026-09", "2026-10"], { to: "2030-01", store: "data/events" }) throws
 * ```
 */
export function resolveCompareRange(
  months: readonly string[],
  options: CompareRangeOptions,
): CompareRange {
  const store = JSON.stringify(options.store);
  const toFlag = options.toFlag ?? "--to";
  const fromFlag = options.fromFlag ?? "--from";
  if (months.length === 0) {
    throw new UserError(
      `No usage in ${store}: generate data with \`deno task generate --scenario demo\` or pass --store DIR`,
    );
  }
  const first = months[0];
  const last = months[months.length - 1];
  if (options.to !== undefined && options.to > last) {
    throw new UserError(
      `${toFlag} ${options.to} is after the last month with data in ${store} (${last}): ` +
        `pass ${toFlag} ${last} or earlier, or leave ${toFlag} out`,
    );
  }
  if (options.from !== undefined && options.from > last) {
    throw new UserError(
      `${fromFlag} ${options.from} is after the last month with data in ${store} (${last}): ` +
        `pass ${fromFlag} ${last} or earlier`,
    );
  }
  const from = options.from ?? first;
  const to = options.to ?? last;
  if (from > to) throw new UserError(`${fromFlag} ${from} is after ${toFlag} ${to}: swap them`);
  const notes: string[] = [];
  if (options.now && to >= options.now.toISOString().slice(0, 7)) {
    notes.push(`${to} has not ended yet: its figures are partial`);
  }
  return { from, to, notes };
}
