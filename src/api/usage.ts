/**
 * `GET /v1/usage`: the caller's month-to-date usage, priced on its plan.
 * Usage comes from a {@linkcode ApiUsageSource}: the event store (the WAL is
 * flushed and compacted first, so the answer includes this very server's
 * latest events) or the PostgreSQL table.
 *
 * @module
 */
import postgres from "postgres";
import { formatMoney } from "../money/mod.ts";
import { type Plans, priceUsage, type PricingUsageRow, type Tenants } from "../pricing/mod.ts";
import { compactWal, type WalWarehouse } from "../metering/compact.ts";
import { checkTableName, DEFAULT_PG_TABLE } from "../metering/postgres_table.ts";
import type { ApiUsageResponse } from "./app.ts";

/** A rollup row of the warehouse contract (`UsageRow`). */
export type ApiUsageRow = PricingUsageRow & { compute_units: string };

/** Where a tenant's month of usage comes from. */
export interface ApiUsageSource {
  /** The tenant's rollup rows for the month (its local month when `timeZone` is set). */
  usage(tenant_id: string, month: string, timeZone?: string): Promise<ApiUsageRow[]>;
  close?(): Promise<void>;
}

interface WarehouseLike extends WalWarehouse {
  usage(month: string, options?: { timeZones?: Record<string, string> }): Promise<ApiUsageRow[]>;
  close(): Promise<void>;
}

/**
 * Usage from the event store: flushes the queue (`flush`), compacts the WAL,
 * then asks the warehouse. Calls are serialized; each opens and closes the
 * warehouse so that other processes (reports, imports) can use the store.
 *
 * @example
 * ```ts
 * import { storeUsageSource } from "./usage.ts";
 * const source = storeUsageSource({ store: "data/events", flush: () => queue.flush() });
 * ```
 */
export function storeUsageSource(options: {
  store: string;
  engine?: "native" | "wasm";
  flush: () => Promise<void>;
  open?: (store: string) => Promise<WarehouseLike>;
}): ApiUsageSource {
  const open = options.open ?? (async (store: string) => {
    // loaded on demand: DuckDB only when usage is asked for
    const { openWarehouse } = await import("../warehouse/mod.ts");
    return await openWarehouse({ store, engine: options.engine });
  });
  let chain: Promise<unknown> = Promise.resolve();
  return {
    usage(tenant_id, month, timeZone) {
      const run = async () => {
        await options.flush();
        const wh = await open(options.store);
        try {
          await compactWal(options.store, wh);
          const rows = await wh.usage(
            month,
            timeZone ? { timeZones: { [tenant_id]: timeZone } } : undefined,
          );
          return rows.filter((row) => row.tenant_id === tenant_id);
        } finally {
          await wh.close();
        }
      };
      const result = chain.then(run, run);
      chain = result.catch(() => {});
      return result;
    },
  };
}

/**
 * Usage from the PostgreSQL table the PostgreSQL sink writes (exact sums in
 * SQL: `numeric` compute units as text).
 *
 * @example
 * ```ts
 * import { postgresUsageSource } from "./usage.ts";
 * const source = postgresUsageSource("postgres://meterbook:meterbook@127.0.0.1:55432/meterbook");
 * ```
 */
export function postgresUsageSource(
  url: string,
  options: { table?: string; flush?: () => Promise<void> } = {},
): ApiUsageSource {
  const table = checkTableName(options.table ?? DEFAULT_PG_TABLE);
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  return {
    async usage(tenant_id, month, timeZone = "UTC") {
      await options.flush?.();
      const first = `${month}-01`;
      const rows = await sql`SELECT event_type, count(*)::int AS events,
          to_char(coalesce(sum(compute_units), 0), 'FM999999999999990.000000') AS compute_units
        FROM ${sql(table)}
        WHERE tenant_id = ${tenant_id}
          AND ts >= (${first}::timestamp AT TIME ZONE ${timeZone})
          AND ts < ((${first}::timestamp + interval '1 month') AT TIME ZONE ${timeZone})
        GROUP BY event_type ORDER BY event_type`;
      return rows.map((r) => ({
        month,
        tenant_id,
        event_type: String(r.event_type),
        events: Number(r.events),
        compute_units: String(r.compute_units),
      }));
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/**
 * Prices a tenant's month on its plan: `{ tenant_id, month, plan, currency,
 * usage, lines, subtotal_minor, total_minor, total }`. A tenant missing from
 * the tenants file gets its usage with `plan: null` (unbilled).
 *
 * @example
 * ```ts
 * import { usagePricer } from "./usage.ts";
 * // const price = usagePricer({ plans, tenants, source });
 * // await price("dept_a", "2026-10");
 * ```
 */
export function usagePricer(options: {
  plans: Plans;
  tenants: Tenants;
  source: ApiUsageSource;
}): (tenant_id: string, month: string) => Promise<ApiUsageResponse> {
  return async (tenant_id, month) => {
    const tenant = options.tenants[tenant_id];
    const rows = await options.source.usage(tenant_id, month, tenant?.time_zone);
    const usage = rows.map(({ event_type, events, compute_units }) => ({
      event_type,
      events,
      compute_units,
    }));
    const plan = tenant ? options.plans[tenant.plan] : undefined;
    if (!tenant || !plan) {
      return {
        tenant_id,
        month,
        plan: null,
        usage,
        note: tenant
          ? `plan "${tenant.plan}" is not in the plans file`
          : "tenant is not in the tenants file: usage is unbilled",
      };
    }
    const priced = priceUsage(plan, rows, { currency: tenant.currency });
    return {
      tenant_id,
      month,
      time_zone: tenant.time_zone ?? "UTC",
      plan: plan.id,
      currency: priced.currency,
      usage,
      lines: priced.lines.map(({ description, quantity, unit_price, amount_minor }) => ({
        description,
        quantity,
        unit_price,
        amount_minor,
      })),
      subtotal_minor: priced.subtotal_minor,
      total_minor: priced.total_minor,
      total: formatMoney(priced.total_minor, priced.currency),
    };
  };
}
