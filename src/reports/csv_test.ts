import assert from "node:assert/strict";
import { csvCell, toCsv } from "./csv.ts";

Deno.test("toCsv quotes commas, quotes and newlines, and defuses formulas", () => {
  assert.equal(
    toCsv(["a", "b"], [["O'Brien & Sons, Ltd", 'say "hi"'], ["line\nbreak", null]]),
    'a,b\n"O\'Brien & Sons, Ltd","say ""hi"""\n"line\nbreak",\n',
  );
  assert.equal(csvCell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  assert.equal(csvCell("-12.5"), "-12.5");
  assert.equal(csvCell(3), "3");
});
