/**
 * The shapes compare() reads and produces. Money is integer minor units of
 * `currency` (safe integers); only the derived statistics are floats.
 *
 * @module
 */
import type { AlignmentScore, PredictabilityScore } from "./axes.ts";
import type { CostSettings } from "./costs.ts";

/** A usage rollup row per month, as the warehouse's `usageByMonth()` returns it (`UsageRow`). */
export interface CompareUsageRow {
  month: string;
  tenant_id: string | null;
  event_type: string;
  events: number;
  /** Exact decimal text (`"12.345678"`), or a number. */
  compute_units: string | number;
}

/** One tenant-month priced under every plan. */
export interface ComparedTenantMonth {
  tenant_id: string;
  month: string;
  /** Compute units, exact decimal text with 6 decimals. */
  compute_units: string;
  events: number;
  api_calls: number;
  /** Cost to serve, minor units. */
  cost_minor: number;
  /** What the tenant would pay under each plan, minor units, by plan id. */
  charges_minor: Record<string, number>;
  /** The cheapest tier this month (null when no tiers are compared). */
  best_tier: string | null;
}

/** One plan over the whole range. */
export interface ComparedPlan {
  plan: string;
  name: string;
  /** Revenue over every tenant-month, minor units. */
  revenue_minor: number;
  /** Cost to serve over every tenant-month (the same for every plan), minor units. */
  cost_minor: number;
  /** revenue - cost, minor units. */
  margin_minor: number;
  /** margin / revenue (null when revenue is 0). */
  margin_rate: number | null;
  /** How many tenants are on this plan today (tenants file). */
  current_tenants: number;
  /** Revenue predictability for the seller. */
  predictability: PredictabilityScore;
  /** Usage alignment for the buyer. */
  alignment: AlignmentScore;
}

/** Revenue per plan in one month. */
export interface ComparedMonth {
  month: string;
  /** By plan id, minor units. */
  revenue_minor: Record<string, number>;
  compute_units: string;
  cost_minor: number;
  /** How many tenants were billed this month (from their first month with usage). */
  tenants_billed: number;
}

/** One tenant over the whole range. */
export interface ComparedTenant {
  tenant_id: string;
  /** The plan in the tenants file, or null when the tenant is not in it. */
  current_plan: string | null;
  compute_units: string;
  /** This tenant's share of all compute units (0..1). */
  compute_share: number;
  events: number;
  api_calls: number;
  /** Events by event type. */
  events_by_type: Record<string, number>;
  cost_minor: number;
  /** By plan id, minor units. */
  revenue_minor: Record<string, number>;
  /** revenue - cost by plan id, minor units. */
  margin_minor: Record<string, number>;
  /** revenue under the plan - revenue under the current plan (null without a current plan). */
  delta_minor: Record<string, number | null>;
  /** The plan under which this tenant would have paid least (ties: plans-file order). */
  cheapest_plan: string;
}

/** One tenant's change when moved from its current plan to another. */
export interface PlanMover {
  tenant_id: string;
  current_plan: string;
  current_minor: number;
  plan_minor: number;
  /** plan - current, minor units: positive pays more. */
  delta_minor: number;
  /** delta / current (null when current is 0). */
  delta_rate: number | null;
}

/** Who pays more and who less if everyone moved to `plan`. */
export interface PlanMovers {
  plan: string;
  pays_more: string[];
  pays_less: string[];
  unchanged: string[];
  /** Sum of the deltas, minor units. */
  net_delta_minor: number;
  /** The largest absolute changes first. */
  top: PlanMover[];
}

/** Tier fit for one tenant over the history. */
export interface TenantTierFitSummary {
  tenant_id: string;
  current_plan: string | null;
  /** How many months each tier was the cheapest. */
  months_best: Record<string, number>;
  /** The one tier cheapest over the whole history. */
  best_tier: string;
  best_tier_minor: number;
  /** What the tenant pays on its current plan (null without one). */
  current_minor: number | null;
  /** best_tier_minor - current_minor (null without a current plan). */
  change_minor: number | null;
  /** Switching to each month's cheapest tier with hindsight. */
  monthly_best_minor: number;
}

/** The cheapest tier per tenant and the revenue impact of moving everyone to it. */
export interface TierFitSummary {
  tiers: string[];
  tenants: TenantTierFitSummary[];
  /** Revenue of the tenants with a current plan, on it. */
  revenue_current_minor: number;
  /** The same tenants, each on its best single tier. */
  revenue_best_tier_minor: number;
  /** revenue_best_tier - revenue_current (negative: revenue lost). */
  impact_minor: number;
  /** The same tenants on each month's cheapest tier. */
  revenue_monthly_best_minor: number;
  monthly_impact_minor: number;
  /** Tenants left out of the impact (no current plan). */
  excluded_tenants: number;
}

/** Everything compare() measures. */
export interface CompareResult {
  from: string;
  to: string;
  months: string[];
  currency: string;
  /** Decimal places of the currency's minor unit. */
  exponent: number;
  /** Plan ids in plans-file order. */
  plan_ids: string[];
  plans: ComparedPlan[];
  revenue_by_month: ComparedMonth[];
  tenants: ComparedTenant[];
  movers: PlanMovers[];
  tier_fit: TierFitSummary | null;
  tenant_months: ComparedTenantMonth[];
  definitions: Record<string, string>;
  costs: CostSettings;
  notes: string[];
}
