/**
 * The invoice model: what `invoices.json` holds.
 *
 * @module
 */

/**
 * The Stripe meter a metered line reports to (its charge's `event_name`), and
 * what Stripe receives for it: the charge's full metered quantity.
 */
export interface InvoiceLineMeter {
  /** The Stripe meter's `event_name` (the plan charge's). */
  event_name: string;
  /** What the charge counts: compute units (sent to Stripe x1000) or events (x1). */
  measure: "compute_units" | "events";
  /**
   * The charge's whole meter reading for the month (exact decimal text), as
   * `meterQuantity` reads it: for an `included` charge all of the usage, not
   * only the overage the line's `quantity` shows.
   */
  quantity: string;
}

/** One invoice line: `amount_minor = round(quantity x unit_price)` in minor units. */
export interface InvoiceLine {
  description: string;
  /** Exact decimal text. */
  quantity: string;
  /** Exact decimal text in major units (`"0.05"`). */
  unit_price: string;
  /** Integer minor units (cents), rounded once, half away from zero. */
  amount_minor: number;
  /**
   * Only on lines of a metered charge that names a Stripe meter (`event_name`):
   * which meter, and the quantity `deno task push` sends to it.
   */
  stripe_meter?: InvoiceLineMeter;
}

/** One tenant's invoice for a month. */
export interface Invoice {
  /** `{prefix}-{YYYYMM}-{tenant_id}`, e.g. `INV-202610-dept_a`. */
  number: string;
  tenant_id: string;
  /** The plan id. */
  plan: string;
  /** ISO 4217 code. */
  currency: string;
  /** First day of the billing month (ISO date), in UTC or the tenant's time zone. */
  period_start: string;
  /** Last day of the billing month (ISO date, inclusive). */
  period_end: string;
  lines: InvoiceLine[];
  /** Sum of the lines before discounts and credits. */
  subtotal_minor: number;
  /** Sum of every line: what is due. */
  total_minor: number;
}

/** One tenant's row of the seed table, with the base/usage split. */
export interface InvoiceSummaryRow {
  tenant_id: string;
  /** The tenant's display name. */
  name: string;
  plan: string;
  currency: string;
  /** The zone the billing month was cut in (`UTC` unless the tenant sets one). */
  time_zone: string;
  events: number;
  /** Exact sum of the tenant's compute units (decimal text). */
  compute_units: string;
  /** Fixed fees (flat charges). */
  base_minor: number;
  /** Everything else: metered charges, minimum true-ups, discounts (`total - base`). */
  usage_minor: number;
  total_minor: number;
}

/** What each tier plan would have cost a tenant this month, and the cheapest. */
export interface TierFitRow {
  tenant_id: string;
  /** The tenant's current plan and its total. */
  plan: string;
  currency: string;
  current_total_minor: number;
  /** Tier plan id -> total in minor units, in tier order. */
  costs: Record<string, number>;
  /** The tier plan with the lowest total (the first one on a tie). */
  cheapest: string;
  /** `current_total_minor - costs[cheapest]` (negative when the current plan is cheaper). */
  saving_minor: number;
}

/** Usage of a tenant that is not in the tenants file: shown, never billed, never dropped. */
export interface UnbilledUsage {
  tenant_id: string;
  events: number;
  compute_units: string;
  by_event_type: Array<{ event_type: string; events: number; compute_units: string }>;
}

/** Everything one `buildInvoices` run produces; `invoices.json` is this object. */
export interface InvoiceRun {
  /** `YYYY-MM`. */
  month: string;
  /**
   * `true` when the month had not ended (in UTC or some tenant's zone) when
   * the run was written (`--allow-open-month`): usage will still change, so
   * the run is never pushed to Stripe. Absent otherwise.
   */
  provisional?: true;
  /**
   * `true` when the usage is generated demo data (a report on a fresh clone):
   * never billable. Absent otherwise.
   */
  demo?: true;
  invoices: Invoice[];
  tier_fit: TierFitRow[];
  summary: InvoiceSummaryRow[];
  unbilled: UnbilledUsage[];
  /** Refused requests without a tenant: counted, never billed. */
  unauthenticated: { events: number; compute_units: string };
  warnings: string[];
}
