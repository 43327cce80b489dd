import assert from "node:assert/strict";
import { safeJoin, tenantFileStem } from "./paths.ts";

Deno.test("safeJoin keeps paths inside the root", () => {
  assert.equal(safeJoin("/tmp/out", "invoices", "dept_a.pdf"), "/tmp/out/invoices/dept_a.pdf");
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "", "a\0b"]) {
    assert.throws(() => safeJoin("/tmp/out", "invoices", bad), /Refusing to write/, bad);
  }
  assert.throws(() => safeJoin("/tmp/out", ".."), /Refusing to write/);
  assert.throws(() => safeJoin("/tmp/out", "."), /outside/);
});

Deno.test("tenantFileStem refuses ids with / or ..", () => {
  assert.equal(tenantFileStem("dept_a"), "dept_a");
  assert.equal(tenantFileStem("t00001.eu-west"), "t00001.eu-west");
  for (const bad of ["../../etc", "a/b", "..", ".hidden", "a..b", "", "x".repeat(65)]) {
    assert.throws(() => tenantFileStem(bad), /Refusing to write files for tenant id/, bad);
  }
});
