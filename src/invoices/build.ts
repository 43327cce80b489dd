/**
 * Building a month's invoices: every tenant of the tenants file priced on
 * its plan (a fixed-fee invoice when it has no usage), the tier fit, and the
 * usage that cannot be billed (tenants missing from the file), never dropped.
 *
 * @module
 */
import { Exact, exactDecimal } from "../money/decimal.ts";
import { sumMinor } from "../money/money.ts";
import { checkTenantPlans } from "../pricing/load.ts";
import { meterQuantity } from "../pricing/meter.ts";
import { priceUsage } from "../pricing/price.ts";
import { TIER_PLANS } from "../pricing/tier_plans.ts";
import type { Plan, Plans, PricedCharges, PricingUsageRow, Tenants } from "../pricing/types.ts";
import { billingPeriod, invoiceNumber } from "./period.ts";
import { tierFit } from "./tier_fit.ts";
import type {
  Invoice,
  InvoiceLine,
  InvoiceLineMeter,
  InvoiceRun,
  InvoiceSummaryRow,
  UnbilledUsage,
} from "./types.ts";

/** Input of {@linkcode buildInvoices}. */
export interface BuildInvoicesInput {
  /** `YYYY-MM`. */
  month: string;
  /** The month's usage rollup (the warehouse's `UsageRow[]`), every tenant. */
  usage: readonly PricingUsageRow[];
  plans: Plans;
  tenants: Tenants;
  /** Invoice number prefix (default `INV`). */
  prefix?: string;
  /** Plans compared by the tier fit (default starter, professional, enterprise; missing ones are skipped). */
  tierPlans?: readonly string[];
  /** The month had not ended when the run is written: marks it `provisional` (default false). */
  provisional?: boolean;
  /** The usage is generated demo data: marks the run `demo` (default false). */
  demo?: boolean;
}

/** Code-point order, the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sumUnits(rows: readonly PricingUsageRow[]): { events: number; compute_units: string } {
  let units = new Exact(0);
  let events = 0;
  for (const row of rows) {
    units = units.plus(
      exactDecimal(row.compute_units, `compute_units of ${row.tenant_id}/${row.event_type}`),
    );
    events += row.events;
  }
  return { events, compute_units: units.toFixed() };
}

/**
 * The Stripe meter of each metered charge of a plan that names one
 * (`event_name`), by charge index, with the charge's full meter reading: the
 * same `meterQuantity` the charge is priced from.
 */
function stripeMeters(
  plan: Plan,
  rows: readonly PricingUsageRow[],
): Map<number, InvoiceLineMeter> {
  const meters = new Map<number, InvoiceLineMeter>();
  plan.charges.forEach((charge, index) => {
    if (!("meter" in charge) || charge.event_name === undefined) return;
    meters.set(index, {
      event_name: charge.event_name,
      measure: charge.meter.measure,
      quantity: meterQuantity(charge.meter, rows),
    });
  });
  return meters;
}

/**
 * An invoice from priced charges (lines reduced to the invoice's four fields,
 * plus `stripe_meter` on the lines of a charge found in `meta.stripeMeters`).
 */
export function toInvoice(
  priced: PricedCharges,
  meta: {
    number: string;
    tenant_id: string;
    plan: string;
    month: string;
    /** The Stripe meter of each charge that names one, by charge index (default none). */
    stripeMeters?: ReadonlyMap<number, InvoiceLineMeter>;
  },
): Invoice {
  return {
    number: meta.number,
    tenant_id: meta.tenant_id,
    plan: meta.plan,
    currency: priced.currency,
    ...billingPeriod(meta.month),
    lines: priced.lines.map((line) => {
      const out: InvoiceLine = {
        description: line.description,
        quantity: line.quantity,
        unit_price: line.unit_price,
        amount_minor: line.amount_minor,
      };
      const meter = meta.stripeMeters?.get(line.charge_index);
      if (meter) out.stripe_meter = { ...meter };
      return out;
    }),
    subtotal_minor: priced.subtotal_minor,
    total_minor: priced.total_minor,
  };
}

/**
 * Prices every tenant's month on its plan. Pure and deterministic: the same
 * input gives the same output, invoices sorted by tenant id.
 *
 * @example
 * ```ts
 * import { buildInvoices } from "./build.ts";
 * import { loadPlans, loadTenants } from "../pricing/mod.ts";
 * const run = buildInvoices({
 *   month: "2026-10",
 *   usage: [{ month: "2026-10", tenant_id: "dept_a", event_type: "enkf_run", events: 40,
 *     compute_units: "220.125000" }],
 *   plans: await loadPlans("data/plans.json"),
 *   tenants: await loadTenants("data/tenants.json"),
 * });
 * run.invoices[0].number; // "INV-202610-dept_a"
 * run.invoices[0].total_minor; // 51101
 * ```
 */
export function buildInvoices(input: BuildInvoicesInput): InvoiceRun {
  const { month, plans, tenants, prefix = "INV", tierPlans = TIER_PLANS } = input;
  billingPeriod(month);
  checkTenantPlans(tenants, plans);

  const byTenant = new Map<string, PricingUsageRow[]>();
  const unauthenticated: PricingUsageRow[] = [];
  for (const row of input.usage) {
    if (row.tenant_id === null) {
      unauthenticated.push(row);
      continue;
    }
    const rows = byTenant.get(row.tenant_id);
    if (rows) rows.push(row);
    else byTenant.set(row.tenant_id, [row]);
  }

  const warnings: string[] = [];
  if ([...byTenant.values()].every((rows) => sumUnits(rows).events === 0)) {
    warnings.push(
      `no usage events from any tenant in ${month}: the invoices carry fixed fees only (is the store empty for this month?)`,
    );
  }

  const invoices: Invoice[] = [];
  const summary: InvoiceSummaryRow[] = [];
  const priced = new Map<string, PricedCharges>();
  for (const tenant of Object.values(tenants).sort((a, b) => compareIds(a.id, b.id))) {
    const rows = byTenant.get(tenant.id) ?? [];
    const plan = plans[tenant.plan];
    const charges = priceUsage(plan, rows);
    priced.set(tenant.id, charges);
    invoices.push(
      toInvoice(charges, {
        number: invoiceNumber(prefix, month, tenant.id),
        tenant_id: tenant.id,
        plan: plan.id,
        month,
        stripeMeters: stripeMeters(plan, rows),
      }),
    );
    const base = sumMinor(
      charges.lines.filter((l) => l.kind === "base").map((l) => l.amount_minor),
    );
    const totals = sumUnits(rows);
    summary.push({
      tenant_id: tenant.id,
      name: tenant.name,
      plan: plan.id,
      currency: charges.currency,
      time_zone: tenant.time_zone ?? "UTC",
      events: totals.events,
      compute_units: totals.compute_units,
      base_minor: base,
      usage_minor: charges.total_minor - base,
      total_minor: charges.total_minor,
    });
  }

  const unbilled: UnbilledUsage[] = [];
  for (const id of [...byTenant.keys()].sort(compareIds)) {
    if (Object.hasOwn(tenants, id)) continue;
    const rows = [...byTenant.get(id)!].sort((a, b) => compareIds(a.event_type, b.event_type));
    const totals = sumUnits(rows);
    unbilled.push({
      tenant_id: id,
      ...totals,
      by_event_type: rows.map((row) => ({
        event_type: row.event_type,
        events: row.events,
        compute_units: exactDecimal(row.compute_units).toFixed(),
      })),
    });
    warnings.push(
      `tenant ${
        JSON.stringify(id)
      } has usage in ${month} (${totals.events} events, ${totals.compute_units} compute units) but is not in the tenants file: shown as unbilled; add it to the tenants file to bill it`,
    );
  }

  return {
    month,
    ...(input.provisional ? { provisional: true as const } : {}),
    ...(input.demo ? { demo: true as const } : {}),
    invoices,
    tier_fit: tierFit({ tenants, plans, usageByTenant: byTenant, priced, tierPlans }),
    summary,
    unbilled,
    unauthenticated: sumUnits(unauthenticated),
    warnings,
  };
}
