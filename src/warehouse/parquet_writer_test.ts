import assert from "node:assert/strict";
import { join } from "node:path";
import { EVENT_COLUMNS } from "../events/mod.ts";
import { openEngine } from "./engine.ts";
import { EncoderPool } from "./encode_pool.ts";
import type { EventChunk } from "./event_chunk.ts";
import { deltaBinaryPacked } from "./parquet_pages.ts";
import { writeEventsParquet } from "./parquet_writer.ts";

const OCT = Date.UTC(2026, 9, 1);
const enc = new TextEncoder();

/** Rows [from, to) of a test month: 300 tenants (9-bit indices), 3 types, ids "ev-000123". */
function rows(from: number, to: number): EventChunk {
  const n = to - from;
  const idBytes = enc.encode(
    Array.from({ length: n }, (_, k) => `ev-${String(from + k).padStart(6, "0")}`).join(""),
  );
  return {
    rows: n,
    idBytes,
    idEnds: Uint32Array.from({ length: n }, (_, k) => (k + 1) * 9),
    tsMs: Float64Array.from({ length: n }, (_, k) => OCT + (from + k) * 1000 + 7),
    tenants: Array.from({ length: 300 }, (_, t) => `t${String(t).padStart(3, "0")}`),
    tenantIndex: Uint32Array.from({ length: n }, (_, k) => ((from + k) * 7) % 300),
    eventTypes: ["api_call", "enkf_run", "report_gen"],
    eventTypeIndex: Uint32Array.from({ length: n }, (_, k) => (from + k) % 3),
    computeMicros: Float64Array.from({ length: n }, (_, k) => ((from + k) * 999_983) % 10_000_001),
  };
}

/** The expected rows as DuckDB returns them (DECIMAL as string, ts as ISO). */
function expected(from: number, to: number) {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    const units = (i * 999_983) % 10_000_001;
    return {
      id: `ev-${String(i).padStart(6, "0")}`,
      ts: new Date(OCT + i * 1000 + 7).toISOString(),
      tenant_id: `t${String((i * 7) % 300).padStart(3, "0")}`,
      event_type: ["api_call", "enkf_run", "report_gen"][i % 3],
      compute_units: `${Math.floor(units / 1e6)}.${String(units % 1e6).padStart(6, "0")}`,
    };
  });
}

for (const workers of [0, 1]) {
  Deno.test(`writeEventsParquet (${workers} workers): DuckDB reads back every value, type and statistic`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "meterbook-parquet-" });
    const engine = await openEngine("native");
    using pool = new EncoderPool({ workers });
    try {
      const path = join(dir, "events.parquet");
      // two row groups, neither a multiple of 8 rows (the bit-packed runs are padded)
      const written = await writeEventsParquet(path, "2026-10", [rows(0, 1001), rows(1001, 1004)], {
        pool,
      });
      assert.equal(written.rows, 1004);
      assert.equal(new TextDecoder().decode(written.firstId!), "ev-000000");
      assert.equal(new TextDecoder().decode(written.lastId!), "ev-001003");
      const file = `'${path}'`;
      const got = await engine.query(
        `SELECT id, strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, tenant_id, event_type,
           compute_units::VARCHAR AS compute_units FROM read_parquet(${file}) ORDER BY id`,
      );
      assert.deepEqual(got, expected(0, 1004));
      // the optional columns are all null, and every column has the store's type
      const [nulls] = await engine.query(
        `SELECT count(*) FILTER (WHERE ${
          EVENT_COLUMNS.slice(5).map(([c]) => `${c} IS NOT NULL`).join(" OR ")
        })::INTEGER AS n
         FROM read_parquet(${file})`,
      );
      assert.equal(nulls.n, 0);
      const types = await engine.query(`DESCRIBE SELECT * FROM read_parquet(${file})`);
      assert.deepEqual(
        types.map((t) => [t.column_name, t.column_type]),
        EVENT_COLUMNS.map(([c, t]) => [c, t]),
      );
      // statistics per row group, which DuckDB uses to skip row groups
      const stats = await engine.query(
        `SELECT row_group_id::INTEGER AS g, path_in_schema AS col, stats_min_value AS lo, stats_max_value AS hi,
           stats_null_count::INTEGER AS nulls, compression
         FROM parquet_metadata(${file}) WHERE path_in_schema IN ('id', 'ts', 'tenant_id', 'compute_units', 'status')
         ORDER BY g, col`,
      );
      // the expected statistics, from the expected rows of each row group
      const want = [[0, 1001], [1001, 1004]].flatMap(([from, to], g) => {
        const e = expected(from, to);
        const range = (
          values: string[],
        ) => [values.reduce((m, v) => (v < m ? v : m)), values.reduce((m, v) => (v > m ? v : m))];
        const units = e.map((r) => r.compute_units).sort((x, y) => Number(x) - Number(y));
        const ts = (iso: string) => iso.replace("T", " ").replace("Z", "");
        return [
          [g, "compute_units", units[0], units[units.length - 1], 0, "ZSTD"],
          [g, "id", ...range(e.map((r) => r.id)), 0, "ZSTD"],
          [g, "status", null, null, to - from, "ZSTD"],
          [g, "tenant_id", ...range(e.map((r) => r.tenant_id)), 0, "ZSTD"],
          [g, "ts", ts(e[0].ts), ts(e[e.length - 1].ts), 0, "ZSTD"],
        ];
      });
      assert.deepEqual(stats.map((s) => [s.g, s.col, s.lo, s.hi, s.nulls, s.compression]), want);
      assert.deepEqual(want[3].slice(2, 4), ["t000", "t299"]); // the first group uses the whole dictionary
      // a filter on ts skips the first row group by its statistics, and still finds the rows
      const [late] = await engine.query(
        `SELECT count(*)::INTEGER AS n FROM read_parquet(${file}) WHERE ts > TIMESTAMP '2026-10-01 00:16:40.5'`,
      );
      assert.equal(late.n, 3);
    } finally {
      await engine.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

for (const workers of [0, 1]) {
  Deno.test(`writeEventsParquet (${workers} workers): each chunk is checked against the one before`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "meterbook-parquet-" });
    using pool = new EncoderPool({ workers });
    try {
      const path = join(dir, "events.parquet");
      // the second chunk starts again at row 1000: its first id repeats the first chunk's last
      await assert.rejects(
        writeEventsParquet(path, "2026-10", [rows(0, 1001), rows(1000, 1010)], { pool }),
        (e: Error) =>
          e instanceof RangeError &&
          /event chunk of 2026-10, row 0: id "ev-001000" is not greater than the id before it/.test(
            e.message,
          ),
      );
      // a chunk outside the month
      await assert.rejects(
        writeEventsParquet(path, "2026-11", [rows(0, 10)], { pool }),
        /row 0: ts \d+ is not a whole millisecond inside 2026-11/,
      );
      // the pool is still usable after a refused chunk
      assert.equal((await writeEventsParquet(path, "2026-10", [rows(0, 5)], { pool })).rows, 5);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("writeEventsParquet: ids of many lengths and shared prefixes (DELTA_BYTE_ARRAY) read back exactly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "meterbook-parquet-" });
  const engine = await openEngine("native");
  try {
    const path = join(dir, "events.parquet");
    // ascending (the 4-digit prefix), lengths going up and down, one of 300 bytes
    const ids = Array.from(
      { length: 1000 },
      (_, k) => `x${String(k).padStart(4, "0")}${"y".repeat(k === 500 ? 295 : (k * 13) % 41)}`,
    );
    const base = rows(0, 1000);
    const idBytes = enc.encode(ids.join(""));
    let end = 0;
    const chunk = { ...base, idBytes, idEnds: Uint32Array.from(ids, (id) => (end += id.length)) };
    await writeEventsParquet(path, "2026-10", [chunk], { pool: new EncoderPool({ workers: 0 }) });
    const got = await engine.query(`SELECT id FROM read_parquet('${path}') ORDER BY ts`);
    assert.deepEqual(got.map((r) => r.id), ids);
    const [meta] = await engine.query(
      `SELECT encodings FROM parquet_metadata('${path}') WHERE path_in_schema = 'id'`,
    );
    assert.match(String(meta.encodings), /^DELTA_BYTE_ARRAY, RLE$/);
    const [ts] = await engine.query(
      `SELECT encodings FROM parquet_metadata('${path}') WHERE path_in_schema = 'ts'`,
    );
    assert.equal(String(ts.encodings), "DELTA_BINARY_PACKED, RLE");
  } finally {
    await engine.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** A DELTA_BINARY_PACKED decoder written from the Parquet spec, to check the encoder against. */
function decodeDeltaBinaryPacked(b: Uint8Array): number[] {
  let at = 0;
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = b[at++];
      v += (byte & 0x7f) * mul;
      mul *= 128;
      if (byte < 0x80) return v;
    }
  };
  const unzigzag = (v: number) => (v % 2 === 0 ? v / 2 : -(v + 1) / 2);
  const blockSize = varint();
  const minis = varint();
  const count = varint();
  const out = [unzigzag(varint())];
  const perMini = blockSize / minis;
  while (out.length < count) {
    const min = unzigzag(varint());
    const widths = [...b.subarray(at, at + minis)];
    at += minis;
    for (const w of widths) {
      if (out.length >= count) break;
      let bit = 0;
      for (let k = 0; k < perMini; k++) {
        let v = 0;
        for (let j = 0; j < w; j++, bit++) {
          if (b[at + (bit >> 3)] & (1 << (bit & 7))) v += 2 ** j;
        }
        if (out.length < count) out.push(out[out.length - 1] + min + v);
      }
      at += (perMini * w) / 8;
    }
  }
  return out;
}

Deno.test("deltaBinaryPacked round-trips runs, steps down, jumps past 2^32 and block edges", () => {
  let x = 1;
  const walk = Array.from(
    { length: 300 },
    (_, k) => (x = (x * 48271) % 2147483647) % 1000 - (k % 7) * 100,
  );
  const cases: number[][] = [
    [],
    [7],
    Array(129).fill(18),
    walk,
    [0, 2 ** 32 + 5, 3, 2 ** 40, -(2 ** 40)],
    Array.from({ length: 257 }, (_, k) => 1_790_000_000_000_000 + k * 3_100_000 + (k % 3) * 17),
  ];
  for (const values of cases) {
    const decoded = decodeDeltaBinaryPacked(deltaBinaryPacked(values));
    assert.deepEqual(decoded.slice(0, values.length || 1), values.length ? values : [0]);
  }
});

Deno.test("writeEventsParquet (2 workers): a later chunk failing while an earlier one encodes rejects cleanly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "meterbook-parquet-" });
  using pool = new EncoderPool({ workers: 2 });
  try {
    const late = rows(300_000, 300_010);
    // the small chunk's check fails long before the big one is encoded: its rejection must wait its turn
    const bad = { ...late, tsMs: new Float64Array(10) };
    await assert.rejects(
      writeEventsParquet(join(dir, "events.parquet"), "2026-10", [rows(0, 300_000), bad], { pool }),
      /event chunk of 2026-10, row 0: ts 0 is not a whole millisecond inside 2026-10/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeEventsParquet: timestamps past 2^53 microseconds (year 9999) stay exact", async () => {
  const dir = await Deno.makeTempDir({ prefix: "meterbook-parquet-" });
  const engine = await openEngine("native");
  try {
    const path = join(dir, "events.parquet");
    const base = Date.UTC(9999, 11, 31, 23, 59, 59, 997);
    const chunk = { ...rows(0, 3), tsMs: Float64Array.of(base, base + 1, base + 2) };
    await writeEventsParquet(path, "9999-12", [chunk], { pool: new EncoderPool({ workers: 0 }) });
    const got = await engine.query(
      `SELECT epoch_ms(ts)::BIGINT AS ms FROM read_parquet('${path}') ORDER BY id`,
    );
    assert.deepEqual(got.map((r) => Number(r.ms)), [base, base + 1, base + 2]);
    const [s] = await engine.query(
      `SELECT stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${path}') WHERE path_in_schema = 'ts'`,
    );
    assert.deepEqual([s.lo, s.hi], ["9999-12-31 23:59:59.997", "9999-12-31 23:59:59.999"]);
    // past 2^53 microseconds the deltas could not be taken exactly: PLAIN, with BigInt writes
    const [enc] = await engine.query(
      `SELECT encodings FROM parquet_metadata('${path}') WHERE path_in_schema = 'ts'`,
    );
    assert.equal(String(enc.encodings), "PLAIN, RLE");
  } finally {
    await engine.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("EncoderPool refuses a chunk on a SharedArrayBuffer (it could change after its check)", async () => {
  using pool = new EncoderPool({ workers: 0 });
  const c = rows(0, 4);
  const shared = new Float64Array(new SharedArrayBuffer(c.tsMs.byteLength));
  shared.set(c.tsMs);
  await assert.rejects(
    pool.encode({ ...c, tsMs: shared }, "2026-10", null),
    /SharedArrayBuffer; copy it first/,
  );
});

Deno.test("writeEventsParquet: timestamps before 1970 and far from it read back exactly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "meterbook-parquet-" });
  const engine = await openEngine("native");
  try {
    // 1800-01 and 1827-03: DELTA_BINARY_PACKED with a first value below -2^52 microseconds (its
    // zigzag needs BigInt); 1969-12: small negatives; 0001-01: PLAIN past -2^53
    for (
      const [month, y, m] of [["1800-01", 1800, 0], ["1827-03", 1827, 2], ["1969-12", 1969, 11], [
        "0001-01",
        1,
        0,
      ]] as const
    ) {
      const path = join(dir, `${month}.parquet`);
      const start = new Date(0);
      start.setUTCFullYear(y, m, 1);
      const base = start.getTime();
      const chunk = {
        ...rows(0, 300),
        tsMs: Float64Array.from({ length: 300 }, (_, k) => base + k * 7919 + 3),
      };
      await writeEventsParquet(path, month, [chunk], { pool: new EncoderPool({ workers: 0 }) });
      const got = await engine.query(
        `SELECT epoch_ms(ts)::BIGINT AS ms FROM read_parquet('${path}') ORDER BY id`,
      );
      assert.deepEqual(got.map((r) => Number(r.ms)), [...chunk.tsMs], month);
    }
  } finally {
    await engine.close();
    await Deno.remove(dir, { recursive: true });
  }
});
