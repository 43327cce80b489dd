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

/** A tenants file of hybrid tenants ($500 + $0.05 per compute unit), id -> time zone. */
async function writeTenants(dir: string, zones: Record<string, string>): Promise<string> {
  const tenants = join(dir, "tenants.json");
  const entries = Object.entries(zones).map(([id, time_zone]) => [id, {
    name: `${id} Health`,
    plan: "hybrid",
    currency: "USD",
    time_zone,
    billing: { address: `1 Main St, ${id}`, email: `ap@${id}.example.org` },
  }]);
  await Deno.writeTextFile(tenants, JSON.stringify({ tenants: Object.fromEntries(entries) }));
  return tenants;
}

/** A store holding `events` (each: id, ts, tenant, compute units; EnKF runs). */
async function storeOf(dir: string, events: Array<[string, string, string, number]>) {
  const store = join(dir, "store");
  const wh = await openWarehouse({ store });
  try {
    await wh.append(
      events.map(([id, ts, tenant_id, compute_units]) => ({
        id,
        ts,
        tenant_id,
        event_type: "enkf_run",
        compute_units,
      })),
    );
  } finally {
    await wh.close();
  }
  return store;
}

/** Tenant chi (America/Chicago, hybrid: $500 + $0.05 per compute unit). */
async function chicagoStore(dir: string): Promise<{ store: string; tenants: string }> {
  const tenants = await writeTenants(dir, { chi: "America/Chicago" });
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

async function quietMain(
  args: string[],
  now: Date = NOW,
): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const saved = { error: console.error, log: console.log };
  console.error = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  try {
    return { code: await main(args, now), output: lines.join("\n") };
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

Deno.test({
  name:
    "zoned tenants: compare prices the local months just outside the store's UTC months, as invoices bill them",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "meterbook-zoned-edges-" });
    try {
      const tenants = await writeTenants(dir, { chi: "America/Chicago", tyo: "Asia/Tokyo" });
      // Partitions 2026-09 and 2026-10 only. 21:00 on 31 August in Chicago: chi's August;
      // 01:00 on 1 November in Tokyo: tyo's November.
      const store = await storeOf(dir, [
        ["e1", "2026-09-01T02:00:00.000Z", "chi", 1000],
        ["e2", "2026-09-15T12:00:00.000Z", "chi", 100],
        ["e3", "2026-10-15T12:00:00.000Z", "tyo", 100],
        ["e4", "2026-10-31T16:00:00.000Z", "tyo", 200],
      ]);
      const out = join(dir, "reports");
      const now = new Date("2026-12-15T00:00:00Z");
      const r = await quietMain(
        ["compare", "--store", store, "--plans", PLANS, "--tenants", tenants, "--out", out],
        now,
      );
      assert.equal(r.code, 0, r.output);
      // the last month is tyo's November, so the files are under 2026-11
      const cmp = JSON.parse(await Deno.readTextFile(join(out, "2026-11", "compare.json")));
      assert.equal(cmp.from, "2026-08");
      assert.equal(cmp.to, "2026-11");
      const months = (id: string) =>
        (cmp.tenant_months as TenantMonth[]).filter((tm) => tm.tenant_id === id)
          .map((tm) => [tm.month, tm.charges_minor.hybrid]);
      // chi: August 1,000 units ($550.00), September 100 ($505.00), then months without usage
      assert.deepEqual(months("chi"), [
        ["2026-08", 55000],
        ["2026-09", 50500],
        ["2026-10", 50000],
        ["2026-11", 50000],
      ]);
      // tyo: October 100 units ($505.00), November 200 ($510.00)
      assert.deepEqual(months("tyo"), [["2026-10", 50500], ["2026-11", 51000]]);
      // each tenant-month's current-plan charge is its invoice total
      const wh = await openWarehouse({ store });
      try {
        const plans = await loadPlans(PLANS);
        const tenantsFile = await loadTenants(tenants);
        for (const tm of cmp.tenant_months as TenantMonth[]) {
          const run = await invoiceMonth(wh, { month: tm.month, plans, tenants: tenantsFile });
          const invoice = run.invoices.find((i) => i.tenant_id === tm.tenant_id)!;
          assert.equal(tm.charges_minor.hybrid, invoice.total_minor, `${tm.tenant_id} ${tm.month}`);
        }
      } finally {
        await wh.close();
      }
      // --to may name tyo's November (the month after the last partition), not later
      const to = await quietMain([
        "compare",
        "--store",
        store,
        "--plans",
        PLANS,
        "--tenants",
        tenants,
        "--out",
        join(dir, "to"),
        "--to",
        "2026-12",
      ], now);
      assert.equal(to.code, 1);
      assert.match(
        to.output,
        /--to 2026-12 is after the last month with data in .* \(2026-10, or 2026-11 in a tenant's time zone\): pass --to 2026-11 or earlier/,
      );
      // `deno task invoice --month 2026-08` bills chi's August
      const inv = await quietMain([
        "invoice",
        "--month",
        "2026-08",
        "--store",
        store,
        "--plans",
        PLANS,
        "--tenants",
        tenants,
        "--out",
        out,
      ], now);
      assert.equal(inv.code, 0, inv.output);
      const aug = JSON.parse(await Deno.readTextFile(join(out, "2026-08", "invoices.json")));
      assert.equal(
        aug.invoices.find((i: { tenant_id: string }) => i.tenant_id === "chi").total_minor,
        55000,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "default month at 03:00Z on 1 December with a Chicago tenant: report and invoice take October; --month previous is refused naming it",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "meterbook-zoned-default-" });
    try {
      const tenants = await writeTenants(dir, { chi: "America/Chicago" });
      const store = await storeOf(dir, [
        ["e1", "2026-10-15T12:00:00.000Z", "chi", 100],
        ["e2", "2026-11-15T12:00:00.000Z", "chi", 200],
      ]);
      const out = join(dir, "reports");
      const now = new Date("2026-12-01T03:00:00Z");
      const common = ["--store", store, "--plans", PLANS, "--tenants", tenants, "--out", out];
      const report = await quietMain(["report", ...common, "--format", "html"], now);
      assert.equal(report.code, 0, report.output);
      await Deno.stat(join(out, "2026-10", "index.html"));
      await assert.rejects(Deno.stat(join(out, "2026-11")), Deno.errors.NotFound);
      const invoice = await quietMain(["invoice", ...common], now);
      assert.equal(invoice.code, 0, invoice.output);
      assert.match(invoice.output, /^Invoices for 2026-10: 1 tenants$/m);

      for (const command of ["report", "invoice"]) {
        const r = await quietMain([command, ...common, "--month", "previous"], now);
        assert.equal(r.code, 1, r.output);
        assert.ok(
          r.output.includes(
            `meterbook ${command}: --month previous (2026-11): November 2026 has not ended yet: ` +
              "it ends 2026-12-01T06:00Z, midnight in America/Chicago for tenant chi; rerun after " +
              "2026-12-01T06:00Z, or pass --allow-open-month to write it marked provisional",
          ),
          r.output,
        );
      }
      await assert.rejects(Deno.stat(join(out, "2026-11")), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
