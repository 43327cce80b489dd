/**
 * A tenant with a time zone is billed for its local months; the comparison
 * (the report's pricing comparison and margin, and `deno task compare`) must
 * price those same months, so that its current-plan revenue for a month is
 * the invoice total for that tenant and month.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli.ts";
import { runReport } from "../../src/reports/report.ts";
import { openWarehouse } from "../../src/warehouse/mod.ts";
import { invoiceMonth } from "../../src/invoices/source.ts";
import { loadPlans, loadTenants } from "../../src/pricing/load.ts";

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const PLANS = repo("data/plans.json");
const NOW = new Date("2026-11-25T08:00:00Z");

/** Tenant chi (America/Chicago, hybrid: $500 + $0.05 per compute unit). */
async function chicagoStore(dir: string): Promise<{ store: string; tenants: string }> {
  const tenants = join(dir, "tenants.json");
  await Deno.writeTextFile(
    tenants,
    JSON.stringify({
      tenants: {
        chi: {
          name: "Chicago Health",
          plan: "hybrid",
          currency: "USD",
          time_zone: "America/Chicago",
          billing: { address: "1 Lake Shore Dr, Chicago", email: "ap@chi.example.org" },
        },
      },
    }),
  );
  const store = join(dir, "store");
  const wh = await openWarehouse({ store });
  try {
    await wh.append([
      // 21:00 on 30 September in Chicago: September's usage for chi, October's in UTC.
      {
        id: "e1",
        ts: "2026-10-01T02:00:00.000Z",
        tenant_id: "chi",
        event_type: "enkf_run",
        compute_units: 1000,
      },
      {
        id: "e2",
        ts: "2026-10-15T12:00:00.000Z",
        tenant_id: "chi",
        event_type: "enkf_run",
        compute_units: 100,
      },
    ]);
  } finally {
    await wh.close();
  }
  return { store, tenants };
}

async function quietMain(args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const saved = { error: console.error, log: console.log };
  console.error = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  try {
    return { code: await main(args, NOW), output: lines.join("\n") };
  } finally {
    console.error = saved.error;
    console.log = saved.log;
  }
}

type TenantMonth = { tenant_id: string; month: string; compute_units: string } & {
  charges_minor: Record<string, number>;
};

Deno.test({
  name: "zoned tenant: the comparison prices the months the invoices bill (report and compare)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "meterbook-zoned-" });
    try {
      const { store, tenants } = await chicagoStore(dir);
      const out = join(dir, "reports");
      await runReport({
        store,
        storeGiven: true,
        plans: PLANS,
        tenants,
        out,
        month: "2026-10",
        formats: ["html"],
        now: NOW,
        progress: false,
        log: () => {},
      });
      const folder = join(out, "2026-10");
      const invoices = JSON.parse(await Deno.readTextFile(join(folder, "invoices.json")));
      const chiInvoice = invoices.invoices.find((i: { tenant_id: string }) =>
        i.tenant_id === "chi"
      );
      assert.equal(chiInvoice.total_minor, 50500, "October in Chicago: 100 CU, $505.00");
      const usage = await Deno.readTextFile(join(folder, "usage.csv"));
      assert.match(usage, /\nchi,enkf_run,1,100\.000000\n/);

      // The report's comparison: the same month as the invoice, not UTC October (1,100 CU, $555).
      const reportCompare = JSON.parse(await Deno.readTextFile(join(folder, "compare.json")));
      const oct = reportCompare.tenant_months.find((tm: TenantMonth) =>
        tm.tenant_id === "chi" && tm.month === "2026-10"
      );
      assert.equal(oct.charges_minor.hybrid, 50500);
      assert.equal(oct.compute_units, "100.000000");
      const html = await Deno.readTextFile(join(folder, "index.html"));
      const compareSection = html.slice(html.indexOf('<section id="compare"'));
      assert.ok(!compareSection.includes("$555.00"), "no UTC-month price in the comparison");
      const marginSection = html.slice(html.indexOf('<section id="margin"'));
      assert.match(marginSection, /<td class="num">\$505\.00<\/td><td class="num">100\.0<\/td>/);

      // `deno task compare` over September and October: every tenant-month's current-plan
      // revenue is that month's invoice total.
      const cmpOut = join(dir, "compare-out");
      const r = await quietMain([
        "compare",
        "--store",
        store,
        "--plans",
        PLANS,
        "--tenants",
        tenants,
        "--out",
        cmpOut,
        "--from",
        "2026-09",
      ]);
      assert.equal(r.code, 0, r.output);
      const cmp = JSON.parse(await Deno.readTextFile(join(cmpOut, "2026-10", "compare.json")));
      const wh = await openWarehouse({ store });
      try {
        const plans = await loadPlans(PLANS);
        const tenantsFile = await loadTenants(tenants);
        assert.deepEqual(
          cmp.tenant_months.map((tm: TenantMonth) => [tm.month, tm.charges_minor.hybrid]),
          [["2026-09", 55000], ["2026-10", 50500]],
        );
        for (const tm of cmp.tenant_months as TenantMonth[]) {
          const run = await invoiceMonth(wh, { month: tm.month, plans, tenants: tenantsFile });
          const invoice = run.invoices.find((i) => i.tenant_id === tm.tenant_id)!;
          assert.equal(tm.charges_minor.hybrid, invoice.total_minor, `${tm.tenant_id} ${tm.month}`);
        }
      } finally {
        await wh.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
