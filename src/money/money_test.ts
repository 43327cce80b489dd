import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import {
  currencyExponent,
  exactMinorUnits,
  formatMoney,
  lineAmountMinor,
  minorToDecimal,
  money,
  roundHalfAwayFromZero,
  sumMinor,
  toMinorUnits,
} from "./mod.ts";

Deno.test("knows the exponent of common ISO 4217 currencies", () => {
  assert.equal(currencyExponent("USD"), 2);
  assert.equal(currencyExponent("EUR"), 2);
  assert.equal(currencyExponent("GBP"), 2);
  assert.equal(currencyExponent("JPY"), 0);
  assert.equal(currencyExponent("KWD"), 3);
});

Deno.test("refuses an unknown currency with a message naming it", () => {
  assert.throws(() => currencyExponent("usd"), (e) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /unknown currency "usd": use an ISO 4217 code/);
    return true;
  });
  assert.throws(() => money(1, "XXX"), UserError);
});

Deno.test("rounds half a cent away from zero (x.xx5 -> up)", () => {
  assert.equal(toMinorUnits("0.005", "USD"), 1);
  assert.equal(toMinorUnits("1.005", "USD"), 101); // a float would give 100.49999... -> 100
  assert.equal(toMinorUnits("2.675", "USD"), 268);
  assert.equal(toMinorUnits("0.0049999", "USD"), 0);
});

Deno.test("rounds a negative half cent away from zero too (credits)", () => {
  assert.equal(toMinorUnits("-0.005", "USD"), -1);
  assert.equal(toMinorUnits("-1.005", "USD"), -101);
  assert.equal(toMinorUnits("-0.0049", "USD"), 0);
  assert.equal(roundHalfAwayFromZero("-0.125", 2).toFixed(2), "-0.13");
  assert.ok(!Object.is(toMinorUnits("-0.001", "USD"), -0), "no -0 in JSON");
});

Deno.test("rounds to whole yen for JPY", () => {
  assert.equal(toMinorUnits("1234.5", "JPY"), 1235);
  assert.equal(toMinorUnits("1234.49", "JPY"), 1234);
  assert.equal(lineAmountMinor("2469", "0.5", "JPY"), 1235);
});

Deno.test("prices a line exactly before rounding once: 20.1 x 0.05 = 1.005 -> $1.01", () => {
  // 20.1 * 0.05 in binary floating point is 1.0050000000000001; 1.005 * 100 is 100.49999999999999
  assert.equal(lineAmountMinor("20.1", "0.05", "USD"), 101);
  assert.equal(lineAmountMinor("12.345678", "0.05", "USD"), 62);
  assert.equal(lineAmountMinor("0", "0.05", "USD"), 0);
});

Deno.test("converts fixed amounts exactly and refuses extra decimals", () => {
  assert.equal(exactMinorUnits("2000.00", "USD"), 200000);
  assert.equal(exactMinorUnits("1000", "JPY"), 1000);
  assert.throws(
    () => exactMinorUnits("0.5", "JPY", "fee"),
    /fee: 0.5 has more decimals than JPY allows \(0\)/,
  );
});

Deno.test("writes minor units back as exact decimal text", () => {
  assert.equal(minorToDecimal(123456, "USD"), "1234.56");
  assert.equal(minorToDecimal(-5, "USD"), "-0.05");
  assert.equal(minorToDecimal(1235, "JPY"), "1235");
  assert.equal(minorToDecimal(1, "KWD"), "0.001");
});

Deno.test("formats money for people", () => {
  assert.equal(formatMoney(123456, "USD"), "$1,234.56");
  assert.equal(formatMoney(1235, "JPY"), "¥1,235");
  assert.equal(formatMoney(-1200, "USD"), "-$12.00");
  assert.equal(formatMoney(100000050, "EUR"), "€1,000,000.50");
  assert.equal(formatMoney(1000, "CHF"), "CHF 10.00");
  assert.equal(formatMoney(123456, "USD", { symbol: false, grouping: false }), "1234.56");
});

Deno.test("sums minor units as integers and refuses unsafe totals", () => {
  assert.equal(sumMinor([50000, 62, -10]), 50052);
  assert.throws(() => sumMinor([Number.MAX_SAFE_INTEGER, 1]), UserError);
  assert.throws(() => sumMinor([0.5]), /not an integer/);
});

Deno.test("money values serialise to JSON as plain numbers", () => {
  assert.equal(JSON.stringify(money(51104, "USD")), '{"amount_minor":51104,"currency":"USD"}');
});
