import assert from "node:assert/strict";
import { defaultMeterValueScale, meterValue } from "./value.ts";

Deno.test("meterValue scales and rounds once, half away from zero", () => {
  assert.equal(meterValue("12.345678", 1000), "12346");
  assert.equal(meterValue("12.3455", 1000), "12346");
  assert.equal(meterValue("12.3454999", 1000), "12345");
  assert.equal(meterValue("0.0005", 1000), "1");
  assert.equal(meterValue("0.0004", 1000), "0");
  assert.equal(meterValue("0", 1000), "0");
  assert.equal(meterValue("42", 1), "42");
  assert.equal(meterValue("123456789012.123456", 1000), "123456789012123");
});

Deno.test("meterValue refuses negative or malformed quantities and bad scales", () => {
  assert.throws(() => meterValue("-1", 1000), /non-negative decimal/);
  assert.throws(() => meterValue("1e3", 1000), /non-negative decimal/);
  assert.throws(() => meterValue("1", 0), /scale/);
  assert.throws(() => meterValue("1", 1.5), /scale/);
});

Deno.test("defaultValueScale: x1000 for compute units only", () => {
  assert.equal(defaultMeterValueScale("compute_units"), 1000);
  assert.equal(defaultMeterValueScale("enkf_compute_units"), 1000);
  assert.equal(defaultMeterValueScale("enkf_runs"), 1);
});
