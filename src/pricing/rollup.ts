/**
 * Rolling up usage events held in memory into the rows pricing reads, for
 * "what if" pricing in notebooks and tests without a store. Each event's
 * compute units are kept to 6 decimals (rounded half away from zero), as the
 * store's DECIMAL(18,6) keeps them, and summed exactly.
 *
 * @module
 */
import type { UsageEvent } from "../events/event.ts";
import { Exact, type ExactDecimal } from "../money/decimal.ts";
import type { PricingUsageRow } from "./types.ts";

/**
 * The monthly rollup of events: one row per UTC month, tenant and event
 * type, sorted like the warehouse's (month, tenant_id with null first,
 * event_type); `compute_units` as exact text with 6 decimals.
 *
 * @example
 * ```ts
 * import { usageFromEvents } from "./rollup.ts";
 * usageFromEvents([
 *   { id: "e1", ts: "2026-10-03T10:00:00.000Z", tenant_id: "dept_a", event_type: "enkf_run",
 *     compute_units: 2.5 },
 *   { id: "e2", ts: "2026-10-04T10:00:00.000Z", tenant_id: "dept_a", event_type: "enkf_run",
 *     compute_units: 0.1 },
 * ]);
 * // [{ month: "2026-10", tenant_id: "dept_a", event_type: "enkf_run", events: 2,
 * //    compute_units: "2.600000" }]
 * ```
 */
export function usageFromEvents(events: Iterable<UsageEvent>): Required<PricingUsageRow>[] {
  const groups = new Map<
    string,
    {
      month: string;
      tenant_id: string | null;
      event_type: string;
      events: number;
      cu: ExactDecimal;
    }
  >();
  for (const event of events) {
    const month = event.ts.slice(0, 7);
    const key = JSON.stringify([month, event.tenant_id, event.event_type]);
    let group = groups.get(key);
    if (!group) {
      group = {
        month,
        tenant_id: event.tenant_id,
        event_type: event.event_type,
        events: 0,
        cu: new Exact(0),
      };
      groups.set(key, group);
    }
    group.events++;
    group.cu = group.cu.plus(new Exact(String(event.compute_units)).round(6, 1));
  }
  const order = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
  return [...groups.values()]
    .sort((a, b) =>
      order(a.month, b.month) || order(a.tenant_id, b.tenant_id) ||
      order(a.event_type, b.event_type)
    )
    .map((g) => ({
      month: g.month,
      tenant_id: g.tenant_id,
      event_type: g.event_type,
      events: g.events,
      compute_units: g.cu.toFixed(6),
    }));
}
