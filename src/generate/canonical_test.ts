import assert from "node:assert/strict";
import { canonicalLine, canonicalNdjson, eventsSha256 } from "./canonical.ts";

Deno.test("canonicalLine: fixed key order, nulls, fixed decimals, ISO ms timestamps", () => {
  const line = canonicalLine({
    id: "e1",
    ts: "2026-10-01T00:00:00Z",
    tenant_id: "dept_a",
    event_type: "enkf_run",
    compute_units: 1.5,
    n_particles: 100,
    compute_seconds: 0.01,
  });
  assert.equal(
    line,
    '{"id":"e1","ts":"2026-10-01T00:00:00.000Z","tenant_id":"dept_a","event_type":"enkf_run",' +
      '"compute_units":1.500000,"endpoint":null,"method":null,"status_code":null,' +
      '"duration_ms":null,"n_particles":100,"n_steps":null,"compute_seconds":0.010000,' +
      '"status":null}',
  );
  JSON.parse(line); // valid JSON
});

Deno.test("canonicalLine: rows read back from DuckDB (strings) match events in memory", () => {
  const memory = canonicalLine({
    id: "e1",
    ts: "2026-10-03T14:05:09.120Z",
    tenant_id: "dept_a",
    event_type: "api_call",
    compute_units: 0.004817,
    status_code: 200,
    duration_ms: 12.5,
  });
  const stored = canonicalLine({
    id: "e1",
    ts: "2026-10-03 14:05:09.12",
    tenant_id: "dept_a",
    event_type: "api_call",
    compute_units: "0.004817",
    endpoint: null,
    status_code: "200",
    duration_ms: 12.5,
  });
  assert.equal(stored, memory);
});

Deno.test("canonicalNdjson sorts by id; eventsSha256 of nothing is the empty sha256", async () => {
  const base = { ts: "2026-10-01T00:00:00Z", tenant_id: "a", event_type: "x", compute_units: 0 };
  const text = canonicalNdjson([{ id: "b", ...base }, { id: "a", ...base }]);
  assert.deepEqual(text.split("\n").map((l) => l && JSON.parse(l).id), ["a", "b", ""]);
  assert.equal(
    await eventsSha256([]),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});
