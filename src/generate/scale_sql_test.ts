import assert from "node:assert/strict";
import { EVENT_COLUMNS } from "../events/mod.ts";
import { mix32, scaleMonths, scaleMonthSelects, scaleSelectSql, seedKeys } from "./scale_sql.ts";

const base = {
  seed: 42,
  tenants: 1000,
  events: 10_000_000,
  from: "2026-01",
  months: 12,
  idPrefix: "scale",
  tenantPrefix: "t",
  tenantDigits: 5,
  eventTypes: [
    { type: "api_call", weight: 0.7, compute_units: [0.001, 0.01] },
    { type: "enkf_run", weight: 0.2, compute_units: [1, 10] },
    { type: "report_gen", weight: 0.1, compute_units: [0.1, 0.5] },
  ],
};

/** lowbias32 in BigInt, with the SQL's arithmetic (mod 2^32 products, the split for c >= 2^31). */
function sqlStyleHash(x: bigint): bigint {
  const M = 0xffffffffn;
  x ^= x >> 16n;
  x = (x * 0x7feb352dn) & M;
  x ^= x >> 15n;
  const c = 0x846ca68bn;
  const half = x * (c >> 1n);
  assert.ok(half < 2n ** 63n, "fits a BIGINT");
  x = (((half & 0x7fffffffn) * 2n) + x) & M;
  x ^= x >> 16n;
  return x;
}

Deno.test("mix32 (JS) and the SQL's BIGINT arithmetic compute the same lowbias32", () => {
  assert.equal(mix32(0), 0);
  for (const x of [1, 2, 42, 1000, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) {
    assert.equal(BigInt(mix32(x)), sqlStyleHash(BigInt(x)), `x = ${x}`);
  }
  // pinned, so a change of the hash is noticed
  assert.deepEqual(seedKeys(42), seedKeys(42));
  assert.notDeepEqual(seedKeys(42), seedKeys(43));
});

Deno.test("scaleSelectSql yields EVENT_COLUMNS in order, with the seed's keys and weights", () => {
  const sql = scaleSelectSql(base);
  const aliases = [...sql.matchAll(/ AS (\w+),?\n/g)].map((m) => m[1]);
  assert.deepEqual(aliases, EVENT_COLUMNS.map(([name]) => name));
  const [k1, k2] = seedKeys(42);
  assert.ok(sql.includes(`xor(i, ${k1})`) && sql.includes(`xor(i, ${k2})`));
  assert.match(sql, /'scale-42-' \|\| lpad\(k::VARCHAR, 3, '0'\)/);
  // 10M rows = 1,000 blocks of 10,000 in pieces of at most 50 blocks (parallel union children)
  assert.match(sql, /range\(0, 50\) r\(k\)/);
  assert.match(sql, /range\(950, 1000\) r\(k\)/);
  // the last type takes the rest; thresholds are cumulative shares of 2^32
  assert.match(
    sql,
    /WHEN a < 3006477107 THEN 'api_call' WHEN a < 3865470566 THEN 'enkf_run' ELSE 'report_gen'/,
  );
  assert.ok(sql.includes("'o''k-42-'") === false);
  assert.ok(scaleSelectSql({ ...base, idPrefix: "o'k" }).includes("'o''k-42-'"));
});

Deno.test("scaleMonths: whole row ranges in proportion to month length, summing to M", () => {
  const months = scaleMonths({ events: 10_000_000, from: "2026-01", months: 12 });
  assert.equal(months.length, 12);
  assert.equal(months.reduce((s, m) => s + m.count, 0), 10_000_000);
  assert.deepEqual(months.slice(0, 2).map((m) => [m.month, m.first, m.count]), [
    ["2026-01", 0, 849_315],
    ["2026-02", 849_315, 767_123],
  ]);
  for (let k = 1; k < 12; k++) {
    assert.equal(months[k].first, months[k - 1].first + months[k - 1].count);
  }
  const few = scaleMonths({ events: 5, from: "2026-01", months: 12 });
  assert.equal(few.reduce((s, m) => s + m.count, 0), 5);
});

Deno.test("scaleMonthSelects: one SELECT per month with rows, partial blocks at the edges", () => {
  const parts = scaleMonthSelects({ ...base, events: 12_345, tenants: 123_456 });
  assert.deepEqual(
    parts.map((p) => p.month),
    scaleMonths({ ...base, events: 12_345 }).map((m) => m.month),
  );
  assert.equal(parts.reduce((s, p) => s + p.events, 0), 12_345);
  // January is rows 0..1048: block 0, j in [0, 1049)
  assert.equal(parts[0].events, 1_048);
  assert.match(
    parts[0].sql,
    /range\(0, 1\) r\(k\)\), \(SELECT j, lpad\(j::VARCHAR, 4, '0'\) AS l FROM range\(0, 1048\)/,
  );
  assert.match(parts[0].sql, /lpad\(x::VARCHAR, 6, '0'\)/); // 123456 tenants: 6 digits
  const none = scaleMonthSelects({ ...base, events: 0 });
  assert.equal(none.length, 1);
  assert.equal(none[0].events, 0);
  assert.match(none[0].sql, /range\(0, 0\) r\(j\)/);
});

Deno.test("scaleSelectSql: each month's time step is a DOUBLE literal equal to JS's (no DECIMAL rounding)", () => {
  // 1143 events: December's step, 27330612.244897958, read as a DECIMAL and converted back to
  // DOUBLE would be 27330612.24489796, and timestamps could be 1 ms off the JS chunks
  const options = { ...base, events: 1143 };
  const sql = scaleSelectSql(options);
  const steps = scaleMonths(options).filter((m) => m.count > 0).map((m) => m.lengthMs / m.count);
  const list = `[${steps.map((x) => `'${x}'::DOUBLE`).join(", ")}]`;
  assert.ok(sql.includes(list), "the steps list is made of DOUBLE literals");
  assert.ok(steps.some((x) => String(x).replace(".", "").length > 16), "a step with 17 digits");
  for (const x of steps) assert.equal(Number(String(x)), x);
});
