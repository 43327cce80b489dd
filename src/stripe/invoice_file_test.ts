import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { sha256Hex } from "../hash.ts";
import { buildInvoices } from "../invoices/build.ts";
import { invoicesJson } from "../invoices/write.ts";
import { loadPlans, loadTenants } from "../pricing/load.ts";
import { defaultInvoicesPath, readApprovedInvoices } from "./invoice_file.ts";

const plans = await loadPlans("data/plans.json");
const tenants = await loadTenants("data/tenants.json");
const RUN = buildInvoices({
  month: "2026-10",
  usage: [{ tenant_id: "dept_a", event_type: "enkf_run", events: 4, compute_units: "12.5" }],
  plans,
  tenants,
});

async function withFile(text: string, fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "mb-invoice-file-" });
  try {
    const path = join(dir, "invoices.json");
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Asserts a one-line UserError whose message matches. */
async function refuses(promise: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, String(error));
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

Deno.test("invoice file: reads what deno task invoice writes, stripe_meter included", async () => {
  await withFile(invoicesJson(RUN), async (path) => {
    const approved = await readApprovedInvoices(path, { month: "2026-10" });
    assert.deepEqual(approved.invoices[0].lines[1].stripe_meter, {
      event_name: "compute_units",
      measure: "compute_units",
      quantity: "12.5",
    });
    assert.equal(
      approved.summary.find((s) => s.tenant_id === "dept_e")?.time_zone,
      "America/Chicago",
    );
  });
  assert.equal(defaultInvoicesPath("reports", "2026-10"), "reports/2026-10/invoices.json");
});

Deno.test("invoice file: a missing file says to run deno task invoice first", async () => {
  await refuses(
    readApprovedInvoices("/nonexistent/2026-10/invoices.json", { month: "2026-10" }),
    /^No invoices for 2026-10 at \/nonexistent\/2026-10\/invoices\.json: run `deno task invoice --month 2026-10` \(or `deno task report --month 2026-10`\) first/,
  );
});

Deno.test("invoice file: a broken file is refused naming the path and the problem", async () => {
  await withFile("{not json", async (path) => {
    await refuses(
      readApprovedInvoices(path, { month: "2026-10" }),
      /invoices\.json: not valid JSON/,
    );
  });
  const bad = JSON.parse(invoicesJson(RUN));
  bad.invoices[0].lines[1].stripe_meter.quantity = "-3";
  await withFile(JSON.stringify(bad), async (path) => {
    await refuses(
      readApprovedInvoices(path, { month: "2026-10" }),
      /invoices\.json: .*invoices\[0\]\.lines\[1\]\.stripe_meter\.quantity: must be a non-negative decimal/,
    );
  });
  await withFile(JSON.stringify({ month: "2026-10" }), async (path) => {
    await refuses(readApprovedInvoices(path, { month: "2026-10" }), /invoices: missing/);
  });
  const twice = JSON.parse(invoicesJson(RUN));
  twice.invoices.push(twice.invoices[0]);
  await withFile(JSON.stringify(twice), async (path) => {
    await refuses(
      readApprovedInvoices(path, { month: "2026-10" }),
      /tenant "dept_a" has two invoices/,
    );
  });
});

Deno.test("invoice file: another month's file is refused", async () => {
  await withFile(invoicesJson(RUN), async (path) => {
    await refuses(
      readApprovedInvoices(path, { month: "2026-09" }),
      /holds the invoices of 2026-10, not 2026-09/,
    );
  });
});

Deno.test("invoice file: a demo report's invoices are refused, unless rewritten since", async () => {
  const text = invoicesJson(RUN);
  await withFile(text, async (path) => {
    const manifest = (sha256: string) =>
      JSON.stringify({
        month: "2026-10",
        demo: true,
        outputs: [{ path: "invoices.json", sha256, bytes: text.length }],
      });
    const manifestPath = join(path, "..", "manifest.json");
    await Deno.writeTextFile(manifestPath, manifest(await sha256Hex(text)));
    await refuses(
      readApprovedInvoices(path, { month: "2026-10" }),
      /comes from a demo report .* never billable/,
    );
    // deno task invoice rewrote invoices.json after the demo report: the manifest is stale
    await Deno.writeTextFile(manifestPath, manifest("0".repeat(64)));
    const approved = await readApprovedInvoices(path, { month: "2026-10" });
    assert.equal(approved.month, "2026-10");
  });
});

Deno.test("invoice file: a provisional file (written before the month ended) is refused", async () => {
  const provisional = buildInvoices({
    month: "2026-10",
    usage: [{ tenant_id: "dept_a", event_type: "enkf_run", events: 4, compute_units: "12.5" }],
    plans,
    tenants,
    provisional: true,
  });
  await withFile(invoicesJson(provisional), async (path) => {
    await refuses(
      readApprovedInvoices(path, { month: "2026-10" }),
      /invoices\.json was written before the month ended \("provisional": true\): run `deno task invoice --month 2026-10` again$/,
    );
  });
});

Deno.test("invoice file: a file marked demo is refused even without its report's manifest", async () => {
  const demo = buildInvoices({ month: "2026-10", usage: [], plans, tenants, demo: true });
  // a copy passed with --invoices: no manifest.json beside it
  await withFile(invoicesJson(demo), async (path) => {
    await refuses(
      readApprovedInvoices(path, { month: "2026-10" }),
      /invoices\.json holds invoices of demo data \(it says "demo": true\): .* never billable/,
    );
  });
});
