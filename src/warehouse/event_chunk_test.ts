import assert from "node:assert/strict";
import { checkEventChunk, compareBytes, type EventChunk } from "./event_chunk.ts";

const enc = new TextEncoder();
const OCT = Date.UTC(2026, 9, 1);

/** A chunk of October 2026 from rows [id, ms after the month's start, tenant index, type index, micros]. */
function chunk(
  rows: Array<[string, number, number, number, number]>,
  extra: Partial<EventChunk> = {},
): EventChunk {
  const ids = rows.map((r) => enc.encode(r[0]));
  const idBytes = new Uint8Array(ids.reduce((s, b) => s + b.length, 0));
  const idEnds = new Uint32Array(rows.length);
  let at = 0;
  ids.forEach((b, k) => {
    idBytes.set(b, at);
    at += b.length;
    idEnds[k] = at;
  });
  return {
    rows: rows.length,
    idBytes,
    idEnds,
    tsMs: Float64Array.from(rows, (r) => OCT + r[1]),
    tenants: ["dept_a", "dept_b"],
    tenantIndex: Uint32Array.from(rows, (r) => r[2]),
    eventTypes: ["api_call", "enkf_run"],
    eventTypeIndex: Uint32Array.from(rows, (r) => r[3]),
    computeMicros: Float64Array.from(rows, (r) => r[4]),
    ...extra,
  };
}

const good: Array<[string, number, number, number, number]> = [
  ["e1", 0, 1, 0, 1000],
  ["e2", 0, 1, 1, 5_000_000],
  ["e3", 86_400_000, 1, 0, 0],
];

Deno.test("checkEventChunk: a valid chunk gives its first and last id and its column ranges", () => {
  const s = checkEventChunk(chunk(good), "2026-10", null);
  assert.deepEqual([...s.firstId], [...enc.encode("e1")]);
  assert.deepEqual([...s.lastId], [...enc.encode("e3")]);
  assert.equal(s.tsMin, OCT);
  assert.equal(s.tsMax, OCT + 86_400_000);
  assert.deepEqual([s.computeMin, s.computeMax], [0, 5_000_000]);
  // only dept_b is used: the statistics cover the values present, not the whole dictionary
  assert.deepEqual([s.tenantMin, s.tenantMax], ["dept_b", "dept_b"]);
  assert.deepEqual([s.eventTypeMin, s.eventTypeMax], ["api_call", "enkf_run"]);
});

Deno.test("checkEventChunk: refuses each kind of bad row, naming the row", () => {
  const bad = (
    rows: typeof good,
    re: RegExp,
    extra: Partial<EventChunk> = {},
    prev: string | null = null,
  ) =>
    assert.throws(
      () => checkEventChunk(chunk(rows, extra), "2026-10", prev === null ? null : enc.encode(prev)),
      re,
    );
  // a repeated id, and one out of byte order ("e10" < "e2")
  bad([good[0], ["e1", 0, 0, 0, 0]], /row 1: id "e1" is not greater than the id before it/);
  bad([["e2", 0, 0, 0, 0], ["e10", 1, 0, 0, 0]], /row 1: id "e10" is not greater/);
  // ids continue from the chunk before
  bad(good, /row 0: id "e1" is not greater/, {}, "e1");
  // timestamps: before the month, in the next month, going backwards, fractions of a millisecond
  bad([["e1", -1, 0, 0, 0]], /row 0: ts \d+ is not a whole millisecond inside 2026-10/);
  bad([["e1", 31 * 86_400_000, 0, 0, 0]], /inside 2026-10/);
  bad([["e1", 5, 0, 0, 0], ["e2", 4, 0, 0, 0]], /row 1: ts \d+ is before the row before's/);
  bad([["e1", 0.5, 0, 0, 0]], /not a whole millisecond/);
  // compute units: negative, finer than a millionth, not finite
  bad([["e1", 0, 0, 0, -1]], /row 0: compute units -0.000001 are not >= 0/);
  bad([["e1", 0, 0, 0, 0.5]], /with at most 6 decimals/);
  bad([["e1", 0, 0, 0, NaN]], /compute units NaN/);
  // indices outside the dictionaries; a malformed dictionary entry; no unauthenticated rows
  bad([["e1", 0, 2, 0, 0]], /row 0: tenant index 2 out of range/);
  bad([["e1", 0, 0, 5, 0]], /row 0: event type index 5 out of range/);
  bad(good, /tenant id "bad\/id" is malformed/, { tenants: ["bad/id", "dept_b"] });
  bad(good, /event type "unauthenticated" is not allowed/, {
    eventTypes: ["api_call", "unauthenticated"],
  });
  bad(good, /event type "Api" is not allowed/, { eventTypes: ["Api", "enkf_run"] });
  // ids must be UTF-8 (DuckDB's VARCHAR); non-ASCII UTF-8 is fine
  bad(good, /the ids are not valid UTF-8/, {
    idBytes: Uint8Array.of(0x65, 0xff, 0x65, 0x32, 0x65, 0x33),
  });
  assert.equal(
    checkEventChunk(chunk([["é1", 0, 0, 0, 0], ["é2", 1, 0, 0, 0]]), "2026-10", null).rows,
    2,
  );
  // an id boundary inside a character: each id alone is not UTF-8, though the buffer is
  bad(good, /row 1: the id starts inside a UTF-8 character/, {
    idBytes: Uint8Array.of(0x61, 0xc3, 0xa9, 0x62, 0x63, 0x64),
    idEnds: Uint32Array.of(2, 4, 6),
  });
  // a blank id is a missing one (the SQL import trims); a leading space alone is fine
  bad([["e1", 0, 0, 0, 0], ["   ", 1, 0, 0, 0]].reverse() as typeof good, /row 0: the id is blank/);
  assert.equal(checkEventChunk(chunk([[" a", 0, 0, 0, 0]]), "2026-10", null).rows, 1);
  // other space separators are blank too (DuckDB's trim strips them); a tab is not a space
  bad([["\u00a0", 0, 0, 0, 0]], /row 0: the id is blank/);
  bad([["\u3000 \u2009", 0, 0, 0, 0]], /row 0: the id is blank/);
  assert.equal(checkEventChunk(chunk([["\u00a0x", 0, 0, 0, 0]]), "2026-10", null).rows, 1);
  // compute units past 2^53 millionths cannot be carried exactly
  bad([["e1", 0, 0, 0, 2 ** 53]], /more than a chunk carries exactly/);
  bad([["e1", 0, 0, 0, 1e18]], /more than a chunk carries exactly/);
  // shapes: columns of other lengths, an empty id, no rows
  bad(good, /every column must have 3 rows/, { tsMs: new Float64Array(2) });
  bad(good, /row 1: empty or misplaced id/, { idEnds: Uint32Array.of(2, 2, 6) });
  assert.throws(() => checkEventChunk(chunk([]), "2026-10", null), /no rows/);
});

Deno.test("compareBytes orders byte strings as DuckDB orders VARCHAR (bytes, then length)", () => {
  const c = (a: string, b: string) =>
    Math.sign(compareBytes(enc.encode(a), 0, a.length, enc.encode(b), 0, b.length));
  assert.equal(c("a", "b"), -1);
  assert.equal(c("ab", "a"), 1);
  assert.equal(c("abc", "abc"), 0);
  assert.equal(c("Z", "a"), -1);
});
