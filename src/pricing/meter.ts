/**
 * Meters: what a metered charge counts in a tenant-month's usage rows.
 *
 * @module
 */
import { Exact, exactDecimal } from "../money/decimal.ts";
import { groupDecimalDigits } from "../money/decimal.ts";
import { UserError } from "../errors.ts";
import type { Meter, PricingUsageRow } from "./types.ts";

/**
 * The quantity a meter reads from usage rows, as exact decimal text: the sum
 * of compute units, or the count of events, optionally of one event type.
 * Rows without a tenant (unauthenticated requests) never count.
 *
 * @example
 * ```ts
 * import { meterQuantity } from "./meter.ts";
 * const rows = [
 *   { tenant_id: "dept_a", event_type: "api_call", events: 140, compute_units: "0.770000" },
 *   { tenant_id: "dept_a", event_type: "enkf_run", events: 40, compute_units: "220.125000" },
 * ];
 * meterQuantity({ measure: "compute_units" }, rows); // "220.895"
 * meterQuantity({ measure: "events", event_type: "enkf_run" }, rows); // "40"
 * ```
 */
export function meterQuantity(meter: Meter, rows: readonly PricingUsageRow[]): string {
  let sum = new Exact(0);
  for (const row of rows) {
    if (row.tenant_id === null) continue;
    if (meter.event_type !== undefined && row.event_type !== meter.event_type) continue;
    if (meter.measure === "events") {
      if (!Number.isSafeInteger(row.events) || row.events < 0) {
        throw new UserError(
          `Cannot meter usage of ${row.tenant_id}/${row.event_type}: events must be a whole number >= 0, got ${row.events}`,
        );
      }
      sum = sum.plus(row.events);
    } else {
      const what = `compute_units of ${row.tenant_id}/${row.event_type}`;
      const units = exactDecimal(row.compute_units, what);
      if (units.lt(0)) {
        // usage is never negative: a credit is a discount charge, not negative usage
        throw new UserError(`${what}: must be >= 0, got ${row.compute_units}`);
      }
      sum = sum.plus(units);
    }
  }
  return sum.toFixed();
}

/**
 * A short label for a meter, used in default line descriptions:
 * `Compute units`, `Compute units (enkf_run)`, `enkf_run events`, `Events`.
 *
 * @example
 * ```ts
 * import { meterLabel } from "./meter.ts";
 * meterLabel({ measure: "events", event_type: "enkf_run" }); // "enkf_run events"
 * ```
 */
export function meterLabel(meter: Meter): string {
  if (meter.measure === "compute_units") {
    return meter.event_type ? `Compute units (${meter.event_type})` : "Compute units";
  }
  return meter.event_type ? `${meter.event_type} events` : "Events";
}

/** A decimal for descriptions: `1234.5` -> `1,234.5`. */
export function showQuantity(value: string): string {
  return groupDecimalDigits(new Exact(value).toFixed());
}
