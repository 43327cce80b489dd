/**
 * The ingest log, `<store>/_meta/ingest.ndjson`: one line per import or
 * append, with per-month counts, from which data-quality figures come.
 *
 * @module
 */
import { join } from "node:path";
import { nextMonth } from "./store.ts";

/** Counts of one import for one month (by the rows' timestamps). */
export interface MonthCounts {
  stored: number;
  duplicates: number;
  quarantined: number;
}

/** One line of the ingest log. */
export interface IngestEntry {
  /** Content hash of the input: re-importing the same content is counted once. */
  key: string;
  source: string;
  /** When the import ran (ISO), or null when no clock was given. */
  at: string | null;
  read: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  months: Record<string, MonthCounts>;
}

/**
 * A new log entry for one input (`options.at` is when it ran), with its
 * totals; the caller fills in `months`.
 *
 * @example
 * ```ts
 * import { ingestEntry } from "./meta.ts";
 * ingestEntry({ key: "k", source: "a.csv" }).months; // {}
 * ```
 */
export function ingestEntry(
  options: { key: string; source: string; at?: Date },
  totals: Pick<IngestEntry, "read" | "stored" | "duplicates" | "quarantined"> = {
    read: 0,
    stored: 0,
    duplicates: 0,
    quarantined: 0,
  },
): IngestEntry {
  return {
    key: options.key,
    source: options.source,
    at: options.at ? options.at.toISOString() : null,
    ...totals,
    months: {},
  };
}

function logPath(store: string): string {
  return join(store, "_meta", "ingest.ndjson");
}

/** Appends one entry to the ingest log. */
export async function appendIngestLog(store: string, entry: IngestEntry): Promise<void> {
  await Deno.mkdir(join(store, "_meta"), { recursive: true });
  await Deno.writeTextFile(logPath(store), JSON.stringify(entry) + "\n", { append: true });
}

/** Reads the ingest log (empty when there is none). */
export async function readIngestLog(store: string): Promise<IngestEntry[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(logPath(store));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

/**
 * Quarantined, duplicate and late counts of `month` from the log. An input
 * imported several times (same key) counts once, at its first import. A
 * stored event is late when the import that stored it ran on or after the
 * first instant of the month after its own (UTC).
 */
export function qualityFromLog(
  entries: IngestEntry[],
  month: string,
): { quarantined: number; duplicates: number; late: number } {
  const seen = new Set<string>();
  const end = Date.parse(`${nextMonth(month)}-01T00:00:00Z`);
  let quarantined = 0, duplicates = 0, late = 0;
  for (const entry of entries) {
    const counts = entry.months[month];
    if (!counts) continue;
    late += entry.at !== null && Date.parse(entry.at) >= end ? counts.stored : 0;
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    quarantined += counts.quarantined;
    duplicates += counts.duplicates;
  }
  return { quarantined, duplicates, late };
}
