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
      now: new Date("2026-11-25T08:00:00Z"),
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
      now: new Date("2027-01-15T00:00:00Z"),
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
      now: new Date("2026-11-25T08:00:00Z"),
    }),
    (e: Error) => e instanceof UserError && /^no events in store "data\/x"/.test(e.message),
  );
});

const NOV = {
  ...ROWS,
  "2026-11": [{
    month: "2026-11",
    tenant_id: "dept_a",
    event_type: "enkf_run",
    events: 2,
    compute_units: "10.000000",
  }],
};

Deno.test("invoice command: the default month has ended in UTC and every tenant's zone (dept_e in Chicago)", async () => {
  const out = await Deno.makeTempDir();
  try {
    const { wh } = fakeWarehouse(NOV);
    // 03:00Z on 1 December: November has ended in UTC, not in America/Chicago (06:00Z)
    const { run, provisional } = await runInvoice(wh, {
      plans: `${DATA}plans.json`,
      tenants: `${DATA}tenants.json`,
      out,
      store: "unused",
      now: new Date("2026-12-01T03:00:00Z"),
    });
    assert.equal(run.month, "2026-10");
    assert.equal(provisional, null);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("invoice command: an open or future month is refused in one line, nothing written", async () => {
  const out = await Deno.makeTempDir();
  try {
    const { wh } = fakeWarehouse(NOV);
    const options = {
      plans: `${DATA}plans.json`,
      tenants: `${DATA}tenants.json`,
      out,
      store: "unused",
      now: new Date("2026-12-15T00:00:00Z"),
    };
    for (const month of ["2026-12", "2027-05"]) {
      await assert.rejects(
        runInvoice(wh, { ...options, month }),
        (e: Error) =>
          e instanceof UserError && !e.message.includes("\n") &&
          e.message.startsWith(`--month ${month}: `) &&
          /has not ended yet: it ends .*; rerun after .*, or pass --allow-open-month/.test(
            e.message,
          ),
      );
    }
    // --month previous at 03:00Z on 1 December: November is still open in Chicago
    await assert.rejects(
      runInvoice(wh, {
        ...options,
        now: new Date("2026-12-01T03:00:00Z"),
        month: "2026-11",
        monthFlag: "--month previous (2026-11)",
      }),
      (e: Error) =>
        e.message.startsWith("--month previous (2026-11): November 2026 has not ended yet") &&
        e.message.includes("rerun after 2026-12-01T06:00Z"),
    );
    assert.deepEqual([...Deno.readDirSync(out)], [], "nothing written");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test('invoice command: --allow-open-month writes "provisional": true; an ended month has no marker', async () => {
  const out = await Deno.makeTempDir();
  try {
    const { wh } = fakeWarehouse(NOV);
    const options = {
      plans: `${DATA}plans.json`,
      tenants: `${DATA}tenants.json`,
      out,
      store: "unused",
      now: new Date("2026-12-01T03:00:00Z"),
    };
    const open = await runInvoice(wh, { ...options, month: "2026-11", allowOpenMonth: true });
    assert.match(open.provisional!, /^Provisional: the month has not ended \(November 2026 ends/);
    const text = await Deno.readTextFile(open.files.json);
    assert.ok(text.startsWith('{\n  "month": "2026-11",\n  "provisional": true,\n'), text);
    const ended = await runInvoice(wh, { ...options, month: "2026-10", allowOpenMonth: true });
    assert.equal(ended.provisional, null);
    assert.equal(JSON.parse(await Deno.readTextFile(ended.files.json)).provisional, undefined);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
