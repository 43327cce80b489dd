import assert from "node:assert/strict";
import { cssString, formatChange, formatQuantity, formatUnitPrice, sumDecimal } from "./view.ts";

Deno.test("formatting helpers are exact and stable", () => {
  assert.equal(sumDecimal(["0.100000", "0.200000"]), "0.300000");
  assert.equal(formatQuantity("1234.500000"), "1,234.5");
  assert.equal(formatQuantity("1"), "1");
  assert.equal(formatUnitPrice("0.05", "USD"), "$0.05");
  assert.equal(formatUnitPrice("0.0001", "USD"), "$0.0001");
  assert.equal(formatUnitPrice("2000", "USD"), "$2,000.00");
  assert.deepEqual(formatChange(100, 110), { change: "+10.0%", trend: "up" });
  assert.deepEqual(formatChange(0, 5), { change: "new", trend: "up" });
  assert.deepEqual(formatChange(null, 5), { change: "", trend: "" });
});

Deno.test("cssString cannot end the style element or the string", () => {
  assert.equal(
    cssString('a "b" \\ </style><script>'),
    '"a \\"b\\" \\\\ \\3c /style\\3e \\3c script\\3e "',
  );
  assert.equal(
    cssString("Invoice INV-202610-dept_a · Demo data"),
    '"Invoice INV-202610-dept_a · Demo data"',
  );
});
