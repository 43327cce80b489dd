import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import type { PricingUsageRow } from "../pricing/mod.ts";
import { type InvoiceWarehouse, runInvoice } from "./invoice.ts";

const DATA = new URL("../../data/", import.meta.url).pathname;

/** A warehouse stand-in holding rollup rows per month; records the time zones it is asked for. */
function fakeWarehouse(byMonth: Record<string, PricingUsageRow[]>) {
  const asked: Array<{ month: string; timeZones?: Record<string, string> }> = [];
  const wh: InvoiceWarehouse = {
    months: () => Promise.resolve(Object.keys(byMonth).sort()),
    usage: (month, options) => {
      asked.push({ month, timeZones: options?.timeZones });
      return Promise.resolve(byMonth[month] ?? []);
    },
    close: () => Promise.resolve(),
  };
  return { wh, asked };
}

const ROWS = {
  "2026-09": [{
    month: "2026-09",
    tenant_id: "dept_a",
    event_type: "api_call",
    events: 1,
    compute_units: "1.000000",
  }],
  "2026-10": [{
    month: "2026-10",
    tenant_id: "dept_a",
    event_type: "enkf_run",
    events: 40,
    compute_units: "220.125000",
  }],
};

Deno.test("invoice command: defaults to the latest month and writes invoices.json and invoices.csv", async () => {
  const out = await Deno.makeTempDir();
  try {
    const { wh, asked } = fakeWarehouse(ROWS);
    const { run, files } = await runInvoice(wh, {
      plans: `${DATA}plans.json`,
      tenants: `${DATA}tenants.json`,
      out,
      store: "unused",
    });
    assert.equal(run.month, "2026-10");
    assert.deepEqual(asked, [{ month: "2026-10", timeZones: { dept_e: "America/Chicago" } }]);
    assert.equal(files.json, `${out}/2026-10/invoices.json`);
    const json = JSON.parse(await Deno.readTextFile(files.json));
    assert.equal(json.invoices[0].number, "INV-202610-dept_a");
    assert.equal(json.invoices[0].total_minor, 51101); // 500 + 220.125 x 0.05 = 11.00625 -> 11.01
    const csv = await Deno.readTextFile(files.csv);
    assert.ok(csv.startsWith("invoice_number,"));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("invoice command: an explicit month with no events gives fixed-fee invoices and a warning", async () => {
  const out = await Deno.makeTempDir();
  try {
    const { wh } = fakeWarehouse(ROWS);
    const { run } = await runInvoice(wh, {
      plans: `${DATA}plans.json`,
      tenants: `${DATA}tenants.json`,
      out,
      store: "unused",
      month: "2026-12",
      prefix: "MB",
    });
    assert.equal(run.invoices[0].number, "MB-202612-dept_a");
    assert.equal(run.invoices[0].total_minor, 50000);
    assert.match(run.warnings[0], /no usage events/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("invoice command: an empty store without --month is a one-line user error", async () => {
  const { wh } = fakeWarehouse({});
  await assert.rejects(
    runInvoice(wh, {
      plans: `${DATA}plans.json`,
      tenants: `${DATA}tenants.json`,
      out: "unused",
      store: "data/x",
    }),
    (e: Error) => e instanceof UserError && /^no events in store "data\/x"/.test(e.message),
  );
});
