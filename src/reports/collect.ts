/**
 * Gathers a month's {@linkcode ReportInput} from a warehouse, the plans and
 * tenants files and the cost settings: usage, invoices, comparison, tier fit,
 * margin, charts and data quality.
 *
 * @module
 */
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { loadPlans, loadTenants } from "../pricing/load.ts";
import type { Plans, Tenants } from "../pricing/types.ts";
import { buildInvoices } from "../invoices/build.ts";
import { tenantTimeZones } from "../invoices/source.ts";
import type { InvoiceRun } from "../invoices/types.ts";
import { invoicesCsv } from "../invoices/csv.ts";
import { invoicesJson } from "../invoices/write.ts";
import { compare } from "../compare/compare.ts";
import { compareCsv, compareJson } from "../compare/output.ts";
import { compareUsage } from "../compare/usage.ts";
import { type CostSettings, costToServeMinor, loadCosts } from "../compare/costs.ts";
import type { CompareResult } from "../compare/types.ts";
import { usageStackedChart } from "../charts/usage_stacked.ts";
import { revenueChart } from "../charts/revenue.ts";
import { marginChart } from "../charts/margin.ts";
import { tradeoffChart } from "../charts/tradeoff.ts";
import { usageOverTimeChart } from "../charts/usage_time.ts";
import { CHART_NAMES } from "../charts/names.ts";
import { formatMoney } from "../money/format.ts";
import { currencyExponent } from "../money/currency.ts";
import { sha256File } from "../hash.ts";
import { formatUnitPrice } from "./view.ts";
import { signedMoney } from "./view_compare.ts";
import { DEFAULT_ISSUER } from "./issuer.ts";
import { addMonths, monthLabel } from "./month.ts";
import { describeMonthEnd, latestEndedMonth, monthEnd } from "../invoices/month_end.ts";
import { checkMonthEnded } from "../invoices/open_month.ts";
import { exists } from "./exists.ts";
import type {
  Issuer,
  ReportChart,
  ReportComparison,
  ReportInput,
  ReportInputsManifest,
  ReportMargin,
  ReportOmittedChart,
  ReportTenant,
  ReportTierFit,
  ReportUsageRow,
} from "./types.ts";

/** The warehouse methods a report reads (the warehouse's `Warehouse` satisfies it). */
export interface ReportWarehouse {
  readonly store: string;
  months(): Promise<string[]>;
  usage(month: string, options?: { timeZones?: Record<string, string> }): Promise<ReportUsageRow[]>;
  usageByMonth(
    options?: { from?: string; to?: string },
  ): Promise<Array<ReportUsageRow & { month: string }>>;
  dataQuality?(month: string): Promise<{
    quarantined: number;
    duplicates: number;
    late: number;
    unauthenticated: number;
  }>;
}

/** Options of {@linkcode collectReportInput}. */
export interface CollectOptions {
  /**
   * The month (`YYYY-MM`); default the latest month with events that has
   * ended in UTC and in every tenant's time zone.
   */
  month?: string;
  /** How the month was asked for, named in messages (default `--month YYYY-MM`). */
  monthFlag?: string;
  /** The instant "now" for the default month. */
  now: Date;
  /** Plans file path. */
  plans: string;
  /** Tenants file path. */
  tenants: string;
  /** Cost settings file (default data/costs.json beside the plans file); missing: no margin. */
  costs?: string;
  /** The issuer (default {@linkcode DEFAULT_ISSUER}). */
  issuer?: Issuer;
  /** The file the issuer was read from (hashed into the manifest). */
  issuerFile?: string;
  /**
   * Demo data: the scenario and seed it was generated from, and the scenario
   * file (`path` as the manifest records it, `file` where to read it for its hash).
   */
  demo?: {
    scenario: string;
    seed: number;
    reason: string;
    scenarioFile?: { path: string; file: string };
  } | null;
  /**
   * Report a month that has not ended yet (in UTC or any tenant's zone),
   * marked provisional; default false: such a month is a {@linkcode UserError}.
   */
  allowOpenMonth?: boolean;
  /** meterbook's version. */
  version: string;
  /** Log lines. */
  log?: (line: string) => void;
  /** Hash the store's Parquet files for the manifest (default true). */
  hashStoreFiles?: boolean;
}

/**
 * The report month: `requested` when given, else the latest month with
 * events that has ended before `now` in UTC and in every zone of
 * `timeZones` (the tenants' zones). Throws a {@linkcode UserError} when
 * there is none.
 *
 * @example
 * ```ts
 * import { resolveReportMonth } from "./collect.ts";
 * const now = new Date("2026-12-01T03:00:00Z");
 * resolveReportMonth(["2026-10", "2026-11"], undefined, now, "data/events"); // "2026-11"
 * // November has not ended in Chicago before 06:00Z
 * resolveReportMonth(["2026-10", "2026-11"], undefined, now, "data/events", {
 *   dept_e: "America/Chicago",
 * }); // "2026-10"
 * ```
 */
export function resolveReportMonth(
  months: readonly string[],
  requested: string | undefined,
  now: Date,
  store: string,
  timeZones: Record<string, string> = {},
): string {
  if (requested) return requested;
  const month = latestEndedMonth(months, now, timeZones);
  if (month === null) {
    if (months.length === 0) {
      throw new UserError(
        `No events in the store ${JSON.stringify(store)}: import or generate some first ` +
          "(`deno task generate --scenario demo`), or pass --store DIR",
      );
    }
    const last = months[months.length - 1];
    throw new UserError(
      `No month with events in the store ${JSON.stringify(store)} has ended yet (months: ${
        months.join(", ")
      }; ${last} ends ${describeMonthEnd(monthEnd(last, timeZones))}): rerun after that, ` +
        "or pass --month YYYY-MM --allow-open-month for a provisional report",
    );
  }
  return month;
}

async function storeFiles(store: string, months: readonly string[]) {
  const files: Array<{ path: string; sha256: string }> = [];
  for (const month of months) {
    const dir = join(store, `month=${month}`);
    let names: string[] = [];
    try {
      for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    names = names.filter((n) => n.endsWith(".parquet")).sort();
    for (const name of names) {
      files.push({ path: `month=${month}/${name}`, sha256: (await sha256File(join(dir, name)))! });
    }
  }
  return files;
}

function toReportTenants(tenants: Tenants): Record<string, ReportTenant> {
  const out: Record<string, ReportTenant> = {};
  for (const [id, t] of Object.entries(tenants)) {
    out[id] = {
      id: t.id,
      name: t.name,
      plan: t.plan,
      currency: t.currency,
      billing: t.billing,
      ...(t.time_zone ? { time_zone: t.time_zone } : {}),
    };
  }
  return out;
}

/** The tenants' time zones, or undefined when no tenant sets one. */
function timeZones(tenants: Tenants): Record<string, string> | undefined {
  const zones = tenantTimeZones(tenants);
  return Object.keys(zones).length > 0 ? zones : undefined;
}

function tierFitView(run: InvoiceRun, plans: Plans): ReportTierFit | null {
  if (run.tier_fit.length === 0) return null;
  const tiers = [...new Set(run.tier_fit.flatMap((r) => Object.keys(r.costs)))];
  const name = (id: string) => (Object.hasOwn(plans, id) ? plans[id].name : id);
  return {
    caption:
      "What each tenant would have paid this month on each tier plan, the cheapest tier, and the " +
      "change on moving there: cheapest tier minus current plan, as in the other tables " +
      "(negative: the tenant would pay less and revenue falls).",
    header: [
      { label: "Tenant" },
      { label: "Current plan" },
      { label: "Current total", num: true },
      ...tiers.map((t) => ({ label: name(t), num: true })),
      { label: "Cheapest tier" },
      { label: "Change", num: true },
    ],
    rows: run.tier_fit.map((r) => [
      { text: r.tenant_id },
      { text: name(r.plan) },
      { text: formatMoney(r.current_total_minor, r.currency), num: true },
      ...tiers.map((t) => ({
        text: r.costs[t] === undefined ? "n/a" : formatMoney(r.costs[t], r.currency),
        num: true,
      })),
      { text: name(r.cheapest) },
      // saving_minor is current - cheapest (the tenant's view); the report shows the change
      { text: signedMoney(-r.saving_minor, r.currency), num: true },
    ]),
  };
}

function comparisonView(cmp: CompareResult, month: string): ReportComparison {
  const rows = cmp.tenant_months.filter((tm) => tm.month === month).map((tm) => {
    const summary = cmp.tenants.find((t) => t.tenant_id === tm.tenant_id);
    return {
      tenant_id: tm.tenant_id,
      current_plan: summary?.current_plan ?? "",
      totals: tm.charges_minor,
    };
  });
  return {
    currency: cmp.currency,
    plans: [...cmp.plan_ids],
    rows,
    csvText: compareCsv(cmp),
    jsonText: compareJson(cmp),
    notes: [],
    history: {
      from: cmp.from,
      to: cmp.to,
      months: cmp.months,
      plans: cmp.plans,
      movers: cmp.movers,
      tier_fit: cmp.tier_fit,
      definitions: cmp.definitions,
      notes: cmp.notes,
      tenants: cmp.tenants,
    },
  };
}

function marginView(
  cmp: CompareResult,
  month: string,
  run: InvoiceRun,
  costs: CostSettings,
): ReportMargin {
  const used = new Map(
    cmp.tenant_months.filter((tm) => tm.month === month).map((tm) => [tm.tenant_id, tm]),
  );
  const rows = run.invoices.filter((inv) => inv.currency === cmp.currency).map((inv) => {
    const tm = used.get(inv.tenant_id);
    return {
      tenant_id: inv.tenant_id,
      revenue_minor: inv.total_minor,
      cost_minor: tm ? tm.cost_minor : costToServeMinor(costs, { compute_units: "0", events: {} }),
      compute_units: tm ? tm.compute_units : "0",
      current_plan: inv.plan,
      ...(tm
        ? {
          margin_by_plan: Object.fromEntries(
            cmp.plan_ids.map((p) => [p, tm.charges_minor[p] - tm.cost_minor]),
          ),
        }
        : {}),
    };
  });
  const money = (d: string) => formatUnitPrice(d, costs.currency);
  const fixed = costs.fixed_per_tenant_month && Number(costs.fixed_per_tenant_month) !== 0
    ? `, ${money(costs.fixed_per_tenant_month)} fixed per tenant-month`
    : "";
  return {
    currency: cmp.currency,
    rows,
    plans: [...cmp.plan_ids],
    caption:
      `Revenue on each tenant's current plan minus the cost to serve it: ${
        money(costs.cost_per_compute_unit)
      } per compute unit, ${money(costs.cost_per_api_call)} per API call${fixed} ` +
      "(cost settings).",
  };
}

/**
 * Gathers everything a report shows for one month.
 *
 * @example
 * ```ts ignore
 * import { openWarehouse } from "../warehouse/mod.ts";
 * import { collectReportInput } from "./collect.ts";
 * const wh = await openWarehouse({ store: "data/events" });
 * const input = await collectReportInput(wh, {
 *   now: new Date(), plans: "data/plans.json", tenants: "data/tenants.json", version: "0.1.0",
 * });
 * ```
 */
export async function collectReportInput(
  wh: ReportWarehouse,
  options: CollectOptions,
): Promise<ReportInput> {
  const log = options.log ?? (() => {});
  const months = await wh.months();
  // The tenants first: the default month must have ended in every tenant's time zone too.
  const [plans, tenants] = await Promise.all([
    loadPlans(options.plans),
    loadTenants(options.tenants),
  ]);
  const zones = timeZones(tenants);
  const month = resolveReportMonth(months, options.month, options.now, wh.store, zones);
  const provisional = checkMonthEnded(month, {
    now: options.now,
    timeZones: zones,
    allowOpenMonth: options.allowOpenMonth,
    flag: options.monthFlag,
  });
  const warnings: string[] = [];
  if (!months.includes(month)) {
    warnings.push(
      `No usage events in ${monthLabel(month)} in this store (months with events: ${
        months.length ? `${months[0]} to ${months[months.length - 1]}` : "none"
      }).`,
    );
  }
  const prev = addMonths(month, -1);

  log(`reading usage for ${month}`);
  const usage = await wh.usage(month, zones ? { timeZones: zones } : undefined);
  log(
    `read ${usage.reduce((s, r) => s + r.events, 0)} events of ${
      new Set(usage.map((r) => r.tenant_id)).size
    } tenants for ${month}`,
  );
  const previousUsage = months.includes(prev) || zones
    ? await wh.usage(prev, zones ? { timeZones: zones } : undefined)
    : [];
  // Every month up to this one, each tenant's months cut as its invoices are (its time zone).
  const history = await compareUsage(wh, { tenants, to: month });
  let quality = null;
  if (wh.dataQuality) {
    try {
      quality = await wh.dataQuality(month);
    } catch (error) {
      warnings.push(`Data-quality counts unavailable: ${(error as Error).message}`);
    }
  }

  const run = buildInvoices({
    month,
    usage,
    plans,
    tenants,
    provisional: provisional !== null,
    demo: Boolean(options.demo),
  });
  const prevRun = previousUsage.length > 0
    ? buildInvoices({ month: prev, usage: previousUsage, plans, tenants })
    : null;
  for (const w of run.warnings) warnings.push(w);

  const costsPath = options.costs ?? join(options.plans, "..", "costs.json");
  let costs: CostSettings | null = null;
  if (await exists(costsPath)) costs = await loadCosts(costsPath);
  else if (options.costs) {
    throw new UserError(`Cannot read cost settings ${JSON.stringify(costsPath)}: no such file`);
  }

  const currentPlans: Record<string, string> = {};
  for (const t of Object.values(tenants)) currentPlans[t.id] = t.plan;
  const planIds = Object.keys(plans);
  const currency = plans[planIds[0]]?.currency ?? "USD";
  const sameCurrency = planIds.filter((p) => plans[p].currency === currency);
  let cmp: CompareResult | null = null;
  const historyTenants = history.filter((r) => r.tenant_id !== null);
  if (sameCurrency.length > 0 && historyTenants.length > 0) {
    const sub: Plans = {};
    for (const id of sameCurrency) sub[id] = plans[id];
    cmp = compare({
      usage: history,
      plans: sub,
      tenants,
      costs: costs ?? { currency, cost_per_compute_unit: "0", cost_per_api_call: "0" },
      to: month,
    });
  }

  const charts: ReportChart[] = [];
  const omittedCharts: ReportOmittedChart[] = [];
  const historyMonths = [...new Set(historyTenants.map((r) => r.month))].sort();
  const fewMonths = (n: number) =>
    `needs at least 2 months of history (this report has ${n} month${n === 1 ? "" : "s"} ` +
    `of tenant usage up to ${monthLabel(month)})`;
  const zoneNote = zones
    ? "each tenant's billing months, in its time zone or else UTC"
    : "UTC months";
  if (usage.length > 0) {
    charts.push({
      name: CHART_NAMES.usageByTenant,
      title: "Compute units by tenant and event type",
      svg: usageStackedChart(usage, { subtitle: monthLabel(month) }).svg,
      placement: "usage",
      caption: `Compute units in ${monthLabel(month)}, stacked by tenant and event type.`,
    });
  } else {
    omittedCharts.push({
      name: CHART_NAMES.usageByTenant,
      title: "Compute units by tenant and event type",
      reason: `no usage in ${monthLabel(month)}`,
    });
  }
  if (historyMonths.length > 1) {
    charts.push({
      name: CHART_NAMES.usageOverTime,
      title: "Usage over time per tenant",
      svg: usageOverTimeChart(historyTenants, {
        subtitle: `${monthLabel(historyMonths[0])} to ${monthLabel(month)}`,
      }).svg,
      placement: "usage",
      caption: `Compute units per tenant and month (${zoneNote}), stacked by event type; ` +
        "each panel has its own scale, so compare tenants with the chart above.",
    });
  } else {
    omittedCharts.push({
      name: CHART_NAMES.usageOverTime,
      title: "Usage over time per tenant",
      reason: fewMonths(historyMonths.length),
    });
  }
  if (cmp && cmp.months.length > 1) {
    charts.push({
      name: CHART_NAMES.revenueByPlan,
      title: "Revenue by plan",
      svg: revenueChart(cmp).svg,
      placement: "compare",
      caption: `Monthly revenue had every tenant been on each plan, ${cmp.from} to ${cmp.to}.`,
    });
  } else {
    omittedCharts.push({
      name: CHART_NAMES.revenueByPlan,
      title: "Revenue by plan",
      reason: fewMonths(cmp ? cmp.months.length : historyMonths.length),
    });
  }
  if (cmp && costs) {
    const monthRows = cmp.tenant_months.filter((tm) => tm.month === month);
    const total = monthRows.reduce((s, tm) => s + Number(tm.compute_units), 0);
    charts.push({
      name: CHART_NAMES.marginByTenant,
      title: "Margin by tenant and plan",
      svg: marginChart({
        currency: cmp.currency,
        exponent: cmp.exponent,
        plan_ids: cmp.plan_ids,
        tenants: monthRows.map((tm) => ({
          tenant_id: tm.tenant_id,
          current_plan: currentPlans[tm.tenant_id] ?? null,
          compute_share: total > 0 ? Number(tm.compute_units) / total : 0,
          margin_minor: Object.fromEntries(
            cmp!.plan_ids.map((p) => [p, (tm.charges_minor[p] ?? 0) - tm.cost_minor]),
          ),
        })),
      }, { subtitle: monthLabel(month) }).svg,
      placement: "charts",
      caption: `Revenue minus cost to serve in ${monthLabel(month)}, per tenant, under each plan.`,
    });
  } else {
    omittedCharts.push({
      name: CHART_NAMES.marginByTenant,
      title: "Margin by tenant and plan",
      reason: cmp
        ? `needs cost settings (no ${JSON.stringify(costsPath)}; pass --costs FILE)`
        : "needs tenant usage to compare plans on",
    });
  }
  if (cmp && cmp.months.length > 1) {
    charts.push({
      name: CHART_NAMES.pricingTradeoff,
      title: "Pricing trade-off",
      svg: tradeoffChart(cmp.plans).svg,
      placement: "charts",
      caption: "Revenue predictability (seller) against usage alignment (buyer), per plan, " +
        `measured ${cmp.from} to ${cmp.to}; definitions and limits under "Pricing comparison".`,
    });
  } else {
    omittedCharts.push({
      name: CHART_NAMES.pricingTradeoff,
      title: "Pricing trade-off",
      reason: fewMonths(cmp ? cmp.months.length : historyMonths.length),
    });
  }

  const unbilled: ReportInput["unbilled"] = run.unbilled.map((u) => ({
    tenant_id: u.tenant_id,
    events: u.events,
    compute_units: u.compute_units,
    reason: "tenant not in the tenants file",
  }));

  let inputs: ReportInputsManifest;
  const files = [
    { role: "plans", path: options.plans, sha256: await sha256File(options.plans) },
    { role: "tenants", path: options.tenants, sha256: await sha256File(options.tenants) },
  ];
  if (costs) files.push({ role: "costs", path: costsPath, sha256: await sha256File(costsPath) });
  if (options.issuerFile) {
    files.push({
      role: "issuer",
      path: options.issuerFile,
      sha256: await sha256File(options.issuerFile),
    });
  }
  if (options.demo) {
    const file = options.demo.scenarioFile;
    inputs = {
      source: {
        kind: "scenario",
        scenario: options.demo.scenario,
        seed: options.demo.seed,
        ...(file ? { path: file.path, sha256: await sha256File(file.file) } : {}),
      },
      files,
    };
  } else {
    const read = months.filter((m) => m <= month);
    inputs = {
      source: {
        kind: "store",
        store: wh.store,
        files: options.hashStoreFiles === false ? [] : await storeFiles(wh.store, read),
      },
      files,
    };
  }
  currencyExponent(currency);

  return {
    month,
    demo: options.demo ? options.demo.reason : null,
    provisional,
    usage,
    previousUsage,
    history,
    quality,
    tenants: toReportTenants(tenants),
    planNames: Object.fromEntries(Object.values(plans).map((p) => [p.id, p.name])),
    invoices: run.invoices,
    invoiceFiles: { json: invoicesJson(run), csv: invoicesCsv(run.invoices) },
    previousInvoices: prevRun ? prevRun.invoices : null,
    unbilled,
    comparison: cmp ? comparisonView(cmp, month) : null,
    tierFit: tierFitView(run, plans),
    margin: cmp && costs ? marginView(cmp, month, run, costs) : null,
    charts,
    omittedCharts,
    warnings,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    inputs,
    version: options.version,
  };
}
