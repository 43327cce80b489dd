/**
 * Where the push's quantities come from: a month's invoices (the approved
 * `invoices.json`, or a run built in memory), never the live event store. A
 * late event after finance approved the month changes nothing that is
 * pushed until the invoices are written again.
 *
 * Each invoice line of a metered charge that names a Stripe meter carries a
 * `stripe_meter` (see `InvoiceLineMeter`): the meter's `event_name` and the
 * charge's full metered quantity (all of it, also for an `included` charge
 * whose line shows only the overage: the Stripe price on that meter applies
 * the plan's model). The Stripe customer comes from the tenants file, the time
 * zone from the invoices (the zone the month was cut in).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { InvoiceLineMeter } from "../invoices/types.ts";
import type { Tenants } from "../pricing/types.ts";
import type { MeterQuantity } from "./push.ts";
import { COMPUTE_UNITS_SCALE } from "./value.ts";

/** What {@linkcode stripeMeterQuantities} reads of invoices (`InvoiceRun` or `ApprovedInvoices`). */
export interface MeteredInvoices {
  invoices: ReadonlyArray<
    { tenant_id: string; lines: ReadonlyArray<{ stripe_meter?: InvoiceLineMeter }> }
  >;
  /** The zone each tenant's month was cut in (`UTC` unless it sets one). */
  summary: ReadonlyArray<{ tenant_id: string; time_zone: string }>;
}

/** The quantities to push, and notes about what is not pushed. */
export interface StripePushSource {
  quantities: MeterQuantity[];
  /** Tenants or charges left out, and why (for the CLI's log). */
  notes: string[];
}

/**
 * One {@linkcode MeterQuantity} per invoiced tenant with a
 * `stripe_customer_id` and per Stripe meter on its invoice (ordered by
 * tenant, then meter). Compute-unit meters are scaled x1000, event counts
 * x1. A tenant invoiced but missing from the tenants file is a UserError
 * (its invoice cannot be pushed, and must not be skipped silently), and so
 * are invoices where no line names a Stripe meter (a file written before
 * `stripe_meter` existed): pushed as they are, they would cancel every event
 * Stripe holds for the month.
 *
 * @example
 * ```ts
 * import { stripeMeterQuantities } from "./source.ts";
 * const { quantities } = stripeMeterQuantities({
 *   invoices: {
 *     invoices: [{ tenant_id: "dept_a", lines: [
 *       { stripe_meter: { event_name: "compute_units", measure: "compute_units", quantity: "12.5" } },
 *     ] }],
 *     summary: [{ tenant_id: "dept_a", time_zone: "UTC" }],
 *   },
 *   tenants: { dept_a: { id: "dept_a", name: "A", plan: "hybrid", currency: "USD",
 *     billing: { address: "x", email: "a@b.co" }, stripe_customer_id: "cus_a" } },
 * });
 * quantities[0].quantity; // "12.5"
 * ```
 */
export function stripeMeterQuantities(input: {
  invoices: MeteredInvoices;
  tenants: Tenants;
  /** Names for messages (default "the invoices" and "the tenants file"). */
  files?: { invoices?: string; tenants?: string };
  /** The month, `YYYY-MM`, for messages (default "YYYY-MM"). */
  month?: string;
}): StripePushSource {
  const invoicesName = input.files?.invoices ?? "the invoices";
  const tenantsName = input.files?.tenants ?? "the tenants file";
  const zones = new Map(input.invoices.summary.map((s) => [s.tenant_id, s.time_zone]));
  const quantities: MeterQuantity[] = [];
  const notes: string[] = [];
  const invoices = [...input.invoices.invoices].sort((a, b) =>
    a.tenant_id < b.tenant_id ? -1 : a.tenant_id > b.tenant_id ? 1 : 0
  );
  for (const invoice of invoices) {
    const id = invoice.tenant_id;
    const meters = new Map<string, InvoiceLineMeter>();
    for (const line of invoice.lines) {
      const meter = line.stripe_meter;
      if (!meter) continue;
      const first = meters.get(meter.event_name);
      if (!first) meters.set(meter.event_name, meter);
      else if (first.quantity !== meter.quantity || first.measure !== meter.measure) {
        notes.push(
          `${id}: two charges on Stripe meter ${meter.event_name} in ${invoicesName}; ` +
            `only the first (quantity ${first.quantity}) is pushed`,
        );
      }
    }
    if (meters.size === 0) continue;
    if (!Object.hasOwn(input.tenants, id)) {
      throw new UserError(
        `tenant ${JSON.stringify(id)} is invoiced in ${invoicesName} but is not in ` +
          `${tenantsName}: add it back (with its stripe_customer_id), or write the invoices again`,
      );
    }
    const tenant = input.tenants[id];
    if (!tenant.stripe_customer_id) {
      notes.push(`${id}: no stripe_customer_id in ${tenantsName}; not pushed`);
      continue;
    }
    const zone = zones.get(id);
    for (const meter of [...meters.values()].sort((a, b) => a.event_name < b.event_name ? -1 : 1)) {
      quantities.push({
        tenant_id: id,
        stripe_customer_id: tenant.stripe_customer_id,
        meter: meter.event_name,
        event_name: meter.event_name,
        quantity: meter.quantity,
        scale: meter.measure === "compute_units" ? COMPUTE_UNITS_SCALE : 1,
        ...(zone && zone !== "UTC" ? { time_zone: zone } : {}),
      });
    }
  }
  if (!invoices.some((i) => i.lines.some((l) => l.stripe_meter))) {
    // Pushing nothing would cancel every event the ledger holds: refuse, before anything is sent.
    throw new UserError(
      `no invoice line in ${invoicesName} names a Stripe meter (stripe_meter), so nothing was ` +
        `pushed: the file predates stripe_meter, or no plan charge has an event_name; rerun ` +
        `\`deno task invoice --month ${input.month ?? "YYYY-MM"}\` to write the meters`,
    );
  }
  return { quantities, notes };
}
