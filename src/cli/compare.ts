/**
 * `deno task compare [--from YYYY-MM] [--to YYYY-MM]`: back-tests every plan
 * on the store's usage and writes `compare.json` and `compare.csv` under
 * `<out>/<to-month>/` (and, with `--charts`, the charts as SVG and PNG).
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Command } from "./command.ts";
import { parseMonth } from "./command.ts";
import { UserError } from "../errors.ts";
import { log } from "./log.ts";
import { formatMoney } from "../money/format.ts";
import type { CompareResult } from "../compare/types.ts";

/** A plan summary table for the console. */
export function summaryTable(result: CompareResult): string {
  const money = (m: number) => formatMoney(m, result.currency);
  const score = (v: number | null) => (v === null ? "n/a" : v.toFixed(2));
  const header = ["plan", "revenue", "margin", "predictability", "alignment", "vs current"];
  const rows = result.plans.map((p) => {
    const movers = result.movers.find((m) => m.plan === p.plan)!;
    return [
      p.plan,
      money(p.revenue_minor),
      money(p.margin_minor),
      score(p.predictability.value),
      score(p.alignment.value),
      `${movers.pays_more.length} pay more, ${movers.pays_less.length} less`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ").trimEnd();
  const out = [line(header), ...rows.map(line)];
  if (result.tier_fit) {
    const f = result.tier_fit;
    const counted = f.tenants.length - f.excluded_tenants;
    out.push(
      "",
      counted === 0
        ? `Tier fit (${
          f.tiers.join(", ")
        }): no impact figure, no tenant has a current plan in the tenants file`
        : `Tier fit (${f.tiers.join(", ")}): ${counted} tenants on their best tier ${
          money(f.revenue_best_tier_minor)
        } vs ${money(f.revenue_current_minor)} on current plans (${f.impact_minor >= 0 ? "+" : ""}${
          money(f.impact_minor)
        })`,
    );
  }
  const heavy =
    [...result.tenants].sort((a, b) =>
      b.compute_share - a.compute_share || (a.tenant_id < b.tenant_id ? -1 : 1)
    )[0];
  if (heavy) {
    const share = heavy.compute_share * 100;
    out.push(
      `Heaviest compute user: ${heavy.tenant_id} (${
        share.toFixed(share < 10 ? 1 : 0)
      }% of compute units, ` +
        `cost to serve ${money(heavy.cost_minor)})`,
    );
  }
  return out.join("\n");
}

/** The `compare` command. */
export const command: Command = {
  name: "compare",
  summary: "Back-test every plan on the usage history: revenue, margins, trade-off, tier fit",
  usage: "[--from YYYY-MM] [--to YYYY-MM] [--costs FILE] [--charts]",
  description: `
Prices every tenant's every month (from --from to --to; default every month in the store, and a
zoned tenant's local month just past either end) under every plan in the plans file, each
tenant's months cut in its time zone as its invoices are, and
writes <out>/<to-month>/compare.json (revenue per plan per month and per tenant, each tenant's
change against its current plan, margins after the cost to serve, tier fit, and each plan's revenue
predictability and usage alignment with their definitions) and compare.csv (one row per tenant,
month and plan). Files are written atomically.

--to cannot be after the store's last month with data (or the month after it for a tenant in a
zone east of UTC). A folder that holds a report (it, or a folder above it, has a manifest.json) is
refused: use another --out, or rerun \`deno task report\`.

--month M is the same as --from M --to M. With --charts, the charts are also written to
<out>/<to-month>/charts/ as SVG, and as 1920x1080 PNG when Chromium is available.`,
  options: {
    from: {
      type: "string",
      valueName: "YYYY-MM",
      description: "first month (default: the first in the store)",
    },
    to: {
      type: "string",
      valueName: "YYYY-MM",
      description: "last month (default: the last in the store)",
    },
    costs: {
      type: "string",
      valueName: "FILE",
      description: "cost-to-serve settings (default: costs.json beside the plans file)",
    },
    charts: { type: "boolean", description: "also write the charts (SVG, and PNG with Chromium)" },
  },
  async run(ctx) {
    const { common, values } = ctx;
    let from = values.from === undefined ? undefined : parseMonth(values.from as string, "--from");
    let to = values.to === undefined ? undefined : parseMonth(values.to as string, "--to");
    if (common.month !== undefined) {
      if (from !== undefined || to !== undefined) {
        throw new UserError("--month cannot be combined with --from/--to: give one or the other");
      }
      from = to = common.month;
    }
    if (from !== undefined && to !== undefined && from > to) {
      throw new UserError(`--from ${from} is after --to ${to}: swap them`);
    }
    const costsPath = (values.costs as string | undefined) ??
      join(dirname(common.plans), "costs.json");

    const { checkOutFolder } = await import("../reports/out_dir.ts");
    await checkOutFolder(common.out);
    const { loadPlans, loadTenants } = await import("../pricing/load.ts");
    const { compare } = await import("../compare/compare.ts");
    const { loadCosts } = await import("../compare/costs.ts");
    const { refuseReportFolder, writeComparison } = await import("../compare/output.ts");
    const { compareUsage } = await import("../compare/usage.ts");
    const { openMonthNote, resolveCompareRange } = await import("../compare/range.ts");
    const { tenantTimeZones } = await import("../invoices/source.ts");
    const [plans, tenants, costs] = await Promise.all([
      loadPlans(common.plans),
      loadTenants(common.tenants),
      loadCosts(costsPath),
    ]);
    const timeZones = tenantTimeZones(tenants);
    // The output folder is named by the last month: refuse a report's folder before any work.
    if (to !== undefined) await refuseReportFolder(join(common.out, to));

    try {
      await Deno.stat(common.store);
    } catch {
      throw new UserError(
        `No event store at "${common.store}". Generate one with \`deno task generate --scenario demo\` or pass --store DIR`,
      );
    }
    const { openCompactedWarehouse } = await import("../metering/compact.ts");
    // Acknowledged API events still in the metering WAL are usage too: stored first.
    const wh = await openCompactedWarehouse({
      store: common.store,
      engine: common.engine,
      log: (line) => console.error(line),
    });
    let usage;
    let range;
    const t0 = performance.now();
    try {
      range = resolveCompareRange(await wh.months(), {
        from,
        to,
        store: common.store,
        timeZones,
        toFlag: common.month !== undefined ? "--month" : "--to",
        fromFlag: common.month !== undefined ? "--month" : "--from",
      });
      // Each tenant's months as its invoices cut them (its time zone, else UTC); the default
      // range reaches a zoned tenant's local months just past the store's ends.
      usage = await compareUsage(wh, { tenants, from: range.from, to: range.to });
    } finally {
      await wh.close();
    }
    const t1 = performance.now();
    if (!usage.some((r) => r.tenant_id !== null)) {
      throw new UserError(
        `No tenant usage in "${common.store}" from ${range.from} to ${range.to}. ` +
          "Check --from/--to, or generate data with `deno task generate --scenario demo`",
      );
    }
    // Without --from/--to the comparison starts and ends at the first and last month with rows.
    const lastMonth = to ?? usage.reduce((m, r) => (r.month > m ? r.month : m), usage[0].month);
    await refuseReportFolder(join(common.out, lastMonth));
    const result = compare({ usage, plans, tenants, costs, from, to });
    const t2 = performance.now();
    const written = await writeComparison(result, common.out);
    log(
      `compare: ${result.tenants.length} tenants x ${result.months.length} months x ${result.plans.length} plans ` +
        `(${result.from} to ${result.to}); aggregation ${(t1 - t0).toFixed(0)} ms, pricing ${
          (t2 - t1).toFixed(0)
        } ms`,
    );
    const open = openMonthNote(result.to, { now: ctx.now, timeZones });
    for (const note of [...(open ? [open] : []), ...result.notes]) log(`note: ${note}`);
    console.log(summaryTable(result));
    console.log(`\nWrote ${written.json}\nWrote ${written.csv}`);

    if (values.charts) {
      const { writeComparisonCharts } = await import("../charts/write.ts");
      const files = await writeComparisonCharts(result, usage, join(written.dir, "charts"));
      for (const f of files.written) console.log(`Wrote ${f}`);
      if (files.skippedPng) log(`note: no Chromium found, PNGs skipped (${files.skippedPng})`);
    }
  },
};
