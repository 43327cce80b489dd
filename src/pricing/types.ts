/**
 * The types of plans, charges, tenants and priced lines.
 *
 * @module
 */

/** What a metered charge counts. */
export interface Meter {
  /**
   * `compute_units`: the sum of compute units; `events`: the count of events.
   */
  measure: "compute_units" | "events";
  /** Only events of this type (default: every event type of the tenant). */
  event_type?: string;
}

/** One tier of a graduated or volume charge, with Stripe's meaning. */
export interface Tier {
  /** The tier's last unit, inclusive (a decimal), or `"inf"` on the last tier. */
  up_to: string | "inf";
  /** The price of each unit in the tier, a decimal in major units (`"0.05"`). */
  unit_price: string;
  /** A fee for entering the tier, a decimal in major units (default none). */
  flat_amount?: string;
}

/** What every charge has. */
export interface ChargeBase {
  /** The line's text on the invoice (a default is derived from the charge). */
  description?: string;
}

/** What every metered charge has. */
export interface MeteredBase extends ChargeBase {
  /** What the charge counts. */
  meter: Meter;
  /** The Stripe meter `event_name` this charge reports usage to (read by src/stripe). */
  event_name?: string;
}

/** A fixed fee per billing period. */
export interface FlatCharge extends ChargeBase {
  /** The charge model. */
  type: "flat";
  /** The fee, a decimal in major units (`"500.00"`). */
  amount: string;
}

/** A price per unit of a meter: `quantity x unit_price`. */
export interface PerUnitCharge extends MeteredBase {
  /** The charge model. */
  type: "per_unit";
  /** A decimal in major units (`"0.05"`). */
  unit_price: string;
}

/** Units included for free, then a price per unit over. */
export interface IncludedCharge extends MeteredBase {
  /** The charge model. */
  type: "included";
  /** The free units, a decimal (`"100"`). */
  included: string;
  /** The price of each unit over `included`. */
  unit_price: string;
}

/** Tiers; graduated: each tier prices the units inside it. */
export interface GraduatedCharge extends MeteredBase {
  /** The charge model. */
  type: "graduated";
  /** In order of `up_to`; the last one's `up_to` is `"inf"`. */
  tiers: Tier[];
}

/** Tiers; volume: the tier the total reaches prices every unit. */
export interface VolumeCharge extends MeteredBase {
  /** The charge model. */
  type: "volume";
  /** In order of `up_to`; the last one's `up_to` is `"inf"`. */
  tiers: Tier[];
}

/** A price per block of `package_size` units; a partial block counts as a whole one. */
export interface PackageCharge extends MeteredBase {
  /** The charge model. */
  type: "package";
  /** Units per block, a positive decimal (`"100"`). */
  package_size: string;
  /** The price of one block, a decimal in major units. */
  package_price: string;
}

/** A minimum commitment: a true-up line bringing the lines above it up to `amount`. */
export interface MinimumCharge extends ChargeBase {
  /** The charge model. */
  type: "minimum";
  /** The floor, a decimal in major units. */
  amount: string;
}

/**
 * A discount or credit on the lines above it: `percent` of them, or a fixed
 * `amount`; never takes the total below zero.
 */
export interface DiscountCharge extends ChargeBase {
  /** The charge model. */
  type: "discount";
  /** A percentage, `"10"` for 10 % (exactly one of percent and amount). */
  percent?: string;
  /** A fixed credit, a decimal in major units. */
  amount?: string;
}

/** Every charge model, told apart by `type`. */
export type Charge =
  | FlatCharge
  | PerUnitCharge
  | IncludedCharge
  | GraduatedCharge
  | VolumeCharge
  | PackageCharge
  | MinimumCharge
  | DiscountCharge;

/** The `type` of a charge. */
export type ChargeType = Charge["type"];

/** The charges that read a meter. */
export type MeteredCharge = Extract<Charge, { meter: Meter }>;

/** A plan: a currency and a list of charges, priced in order. */
export interface Plan {
  /** The plan's key in the plans file (`hybrid`). */
  id: string;
  /** Display name (default: the id). */
  name: string;
  description?: string;
  /** ISO 4217 code. */
  currency: string;
  charges: Charge[];
}

/** Plans by id. */
export type Plans = Record<string, Plan>;

/** A tenant: who is billed, on which plan. */
export interface Tenant {
  /** The tenant id used in events (`dept_a`). */
  id: string;
  /** Display name. */
  name: string;
  /** A plan id from the plans file. */
  plan: string;
  /** ISO 4217 code; must be the plan's currency. */
  currency: string;
  billing: { address: string; email: string };
  /** IANA time zone: the tenant's billing month is its local calendar month (default UTC). */
  time_zone?: string;
  /** Stripe customer id (`cus_...`), for src/stripe. */
  stripe_customer_id?: string;
}

/** Tenants by id. */
export type Tenants = Record<string, Tenant>;

/**
 * One rollup row of usage, as the warehouse returns it (`UsageRow`); for
 * "what if" pricing `compute_units` may also be a number.
 */
export interface PricingUsageRow {
  month?: string;
  tenant_id: string | null;
  event_type: string;
  events: number;
  /** Exact decimal text (`"12.345678"`), or a number. */
  compute_units: string | number;
}

/** Where a line's amount comes from: fixed fees, metered usage, or adjustments. */
export type LineKind = "base" | "usage" | "adjustment";

/** A priced invoice line: `amount_minor = round(quantity x unit_price)` in minor units. */
export interface PricedLine {
  description: string;
  /** Exact decimal text. */
  quantity: string;
  /** Exact decimal text, in major units of the currency. */
  unit_price: string;
  /** Integer minor units, rounded once, half away from zero. */
  amount_minor: number;
  /** The charge's position in the plan. */
  charge_index: number;
  charge_type: ChargeType;
  kind: LineKind;
  /** The charge's Stripe meter event name, when it has one. */
  event_name?: string;
}

/** A plan priced on one tenant-month's usage. */
export interface PricedCharges {
  currency: string;
  lines: PricedLine[];
  /** Sum of every line but discounts. */
  subtotal_minor: number;
  /** Sum of every line: what is due. */
  total_minor: number;
}
