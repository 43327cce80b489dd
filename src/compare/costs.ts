/**
 * Cost to serve: what one tenant-month of usage costs us, from settings in
 * data/costs.json (a price per compute unit, per API call, optionally per
 * event of other types, and a fixed cost per tenant-month). Margin is a
 * plan's revenue minus this cost.
 *
 * @module
 */
import { z } from "zod";
import { UserError } from "../errors.ts";
import { DECIMAL_PATTERN, Exact } from "../money/decimal.ts";
import { currencyExponent } from "../money/currency.ts";

/** The cost-to-serve settings (decimals in major units of `currency`). */
export interface CostSettings {
  /** ISO 4217 code; must be the plans' currency. */
  currency: string;
  /** Cost of one compute unit, e.g. `"0.02"`. */
  cost_per_compute_unit: string;
  /** Cost of one `api_call` event (on top of its compute units), e.g. `"0.0001"`. */
  cost_per_api_call: string;
  /** Cost per event of other event types, by type (default none; `api_call` here is ignored). */
  cost_per_event?: Record<string, string>;
  /** A fixed cost per tenant per month (support, storage), default `"0"`. */
  fixed_per_tenant_month?: string;
  /** Free text: where the numbers come from. */
  description?: string;
}

const decimal = z.string().regex(DECIMAL_PATTERN, 'a decimal number written like "0.02"');

const CostSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code like USD"),
  cost_per_compute_unit: decimal,
  cost_per_api_call: decimal,
  cost_per_event: z.record(z.string(), decimal).optional(),
  fixed_per_tenant_month: decimal.optional(),
  description: z.string().optional(),
}).strict();

/**
 * Checks cost settings (an object already parsed from JSON).
 *
 * @example
 * ```ts
 * import { parseCosts } from "./costs.ts";
 * const costs = parseCosts({ currency: "USD", cost_per_compute_unit: "0.02", cost_per_api_call: "0" });
 * ```
 */
export function parseCosts(value: unknown, source = "cost settings"): CostSettings {
  const parsed = CostSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    throw new UserError(
      `Cannot read ${source}: ${where}: ${issue.message}. Expected { "currency": "USD", ` +
        `"cost_per_compute_unit": "0.02", "cost_per_api_call": "0.0001" }`,
    );
  }
  currencyExponent(parsed.data.currency); // throws on an unknown currency
  return parsed.data;
}

/**
 * Reads cost settings from a JSON file (default data/costs.json).
 *
 * @example
 * ```ts
 * import { loadCosts } from "./costs.ts";
 * const costs = await loadCosts("data/costs.json");
 * ```
 */
export async function loadCosts(path = "data/costs.json"): Promise<CostSettings> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Cannot read cost settings "${path}": no such file. Create it (see data/costs.json) or pass --costs FILE`,
      );
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `Cannot read cost settings "${path}": not valid JSON (${(error as Error).message})`,
    );
  }
  return parseCosts(json, `cost settings "${path}"`);
}

/** The consumption of one tenant-month that costs depend on. */
export interface CostConsumption {
  /** Compute units, exact decimal text. */
  compute_units: string;
  /** Events by event type. */
  events: Record<string, number>;
}

/**
 * The cost to serve one tenant-month in minor units: compute units x cost per
 * unit + API calls x cost per call + other events x their cost + the fixed
 * cost, computed exactly and rounded once, half away from zero.
 *
 * @example
 * ```ts
 * import { costToServeMinor } from "./costs.ts";
 * const costs = { currency: "USD", cost_per_compute_unit: "0.02", cost_per_api_call: "0.0001" };
 * costToServeMinor(costs, { compute_units: "1000.5", events: { api_call: 300 } }); // 2013 ($20.01 + $0.03)
 * ```
 */
export function costToServeMinor(costs: CostSettings, use: CostConsumption): number {
  let total = new Exact(use.compute_units).times(costs.cost_per_compute_unit);
  for (const [type, count] of Object.entries(use.events)) {
    const price = type === "api_call"
      ? costs.cost_per_api_call
      : costs.cost_per_event?.[type] ?? "0";
    if (price !== "0" && count > 0) total = total.plus(new Exact(price).times(count));
  }
  total = total.plus(costs.fixed_per_tenant_month ?? "0");
  const exponent = currencyExponent(costs.currency);
  const minor = Number(total.times(new Exact(10).pow(exponent)).round(0, 1).toFixed(0));
  if (!Number.isSafeInteger(minor)) {
    throw new Error(`cost to serve ${total.toFixed()} ${costs.currency} is too large`);
  }
  return minor;
}
