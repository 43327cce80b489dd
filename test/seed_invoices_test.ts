/**
 * The seed document's table, end to end: the `seed` scenario through the
 * warehouse into invoices. Each hybrid total equals 500 + round(units x 0.05, 2),
 * worked out here with its own exact arithmetic.
 */
import assert from "node:assert/strict";
import Big from "big.js";
import { generateScenario } from "../src/generate/mod.ts";
import { openWarehouse } from "../src/warehouse/mod.ts";
import { loadPlans, loadTenants, usageFromEvents } from "../src/pricing/mod.ts";
import { buildInvoices, formatInvoiceTable, invoiceMonth } from "../src/invoices/mod.ts";

const DATA = new URL("../data/", import.meta.url).pathname;
const plans = await loadPlans(`${DATA}plans.json`);
const tenants = await loadTenants(`${DATA}tenants.json`);

/** 500 + round(units x 0.05, 2) in cents, half away from zero (big.js roundHalfUp works on the magnitude). */
function expectedHybridCents(units: string): number {
  const usageDollars = new Big(units).times("0.05").round(2, Big.roundHalfUp);
  return Number(new Big(500).plus(usageDollars).times(100).toFixed(0));
}

for (const seed of [1, 42, 2026]) {
  Deno.test(`seed scenario (seed ${seed}): each hybrid total is 500 + round(units x 0.05, 2)`, async () => {
    const events = await generateScenario("seed", { seed });
    assert.equal(events.length, 200);
    // the units each department used, summed here from the events on the store's 6-decimal grid
    const units = new Map<string, Big>();
    for (const e of events) {
      if (e.tenant_id === null) continue;
      const cu = new Big(String(e.compute_units)).round(6, Big.roundHalfUp);
      units.set(e.tenant_id, (units.get(e.tenant_id) ?? new Big(0)).plus(cu));
    }
    const run = buildInvoices({ month: "2026-10", usage: usageFromEvents(events), plans, tenants });
    for (const id of ["dept_a", "dept_b", "dept_c"]) {
      const invoice = run.invoices.find((i) => i.tenant_id === id)!;
      assert.equal(invoice.plan, "hybrid");
      const u = units.get(id)!.toFixed();
      assert.equal(invoice.total_minor, expectedHybridCents(u), `${id}: ${u} units`);
      assert.equal(invoice.total_minor, invoice.lines.reduce((s, l) => s + l.amount_minor, 0));
      const row = run.summary.find((s) => s.tenant_id === id)!;
      assert.equal(row.base_minor, 50000);
      assert.equal(row.usage_minor, invoice.total_minor - 50000);
    }
    assert.deepEqual(run.unbilled, []);
  });
}

Deno.test("seed scenario through the warehouse: the same invoices as the in-memory rollup", async () => {
  const store = await Deno.makeTempDir();
  try {
    const events = await generateScenario("seed", { seed: 42 });
    const wh = await openWarehouse({ store });
    try {
      const stats = await wh.append(events);
      assert.equal(stats.stored, 200);
      const fromStore = await invoiceMonth(wh, { month: "2026-10", plans, tenants });
      const inMemory = buildInvoices({
        month: "2026-10",
        usage: usageFromEvents(events),
        plans,
        tenants,
      });
      assert.deepEqual(fromStore.invoices, inMemory.invoices);
      const table = formatInvoiceTable(fromStore);
      assert.match(table, /^Tenant\s+Compute units\s+Base \(\$\)\s+Usage \(\$\)\s+Total \(\$\)/);
      for (const id of ["dept_a", "dept_b", "dept_c"]) {
        assert.match(table, new RegExp(`\\n${id}\\s`));
      }
    } finally {
      await wh.close();
    }
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
