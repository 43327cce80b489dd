import assert from "node:assert/strict";
import { JUPYTER_DISPLAY } from "./chart.ts";
import { htmlTable } from "./table.ts";

Deno.test("htmlTable: HTML and text, numbers right-aligned, text escaped", () => {
  const table = htmlTable([
    { tenant: "dept_a", events: 1234, total: "$503.08", note: "<b>" },
    { tenant: "dept_b", events: 5, total: "$1,504.39", note: null },
  ], { title: "Totals" });
  assert.deepEqual(table.columns, ["tenant", "events", "total", "note"]);
  assert.deepEqual(table.cells[0], ["dept_a", "1,234", "$503.08", "<b>"]);
  assert.equal(table.cells[1][3], "");
  assert.ok(table.html.includes("&lt;b&gt;"));
  assert.ok(table.html.includes('<th style="text-align:right;padding:2px 10px">events</th>'));
  assert.ok(table.html.includes('<th style="text-align:left;padding:2px 10px">tenant</th>'));
  assert.equal(
    table.text,
    [
      "Totals",
      "tenant  events      total  note",
      "------  ------  ---------  ----",
      "dept_a   1,234    $503.08  <b>",
      "dept_b       5  $1,504.39",
    ].join("\n"),
  );
  const shown = table[JUPYTER_DISPLAY]();
  assert.equal(shown["text/html"], table.html);
  assert.equal(String(table), table.text);
});

Deno.test("htmlTable: chosen columns, decimals, empty rows", () => {
  const table = htmlTable([{ a: 0.123456, b: "x" }], { columns: ["b", "a"], digits: 2 });
  assert.deepEqual(table.cells, [["x", "0.12"]]);
  assert.equal(htmlTable([]).text, "\n");
});
