/**
 * zod schemas of the plans and tenants files. Each field's message says what
 * is expected, so that a bad file gets one line naming the path and the
 * problem (`plans.enterprise.charges[1].tiers[2].up_to: must be greater than 2000`).
 *
 * @module
 */
import { z } from "zod";
import { CURRENCY_EXPONENTS, isKnownCurrency } from "../money/currency.ts";
import { DECIMAL_PATTERN, Exact } from "../money/decimal.ts";
import { TENANT_ID_PATTERN } from "../events/event.ts";
import { isTimeZone } from "../events/month_range.ts";

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** A decimal given as text or a JSON/YAML number; normalised to exact text. */
function decimal(options: { min?: "zero" | "positive"; max?: number } = {}) {
  const what = options.min === "positive"
    ? "a decimal number > 0"
    : options.min === "zero"
    ? "a decimal number >= 0"
    : "a decimal number";
  return z
    .union([z.string(), z.number()], {
      error: `must be ${what}, written like "0.05"`,
    })
    .transform((value, ctx) => {
      let text: string;
      if (typeof value === "number") {
        if (!Number.isFinite(value)) {
          ctx.addIssue({ code: "custom", message: `must be ${what}, got ${value}` });
          return z.NEVER;
        }
        text = new Exact(String(value)).toFixed();
      } else {
        if (!DECIMAL_PATTERN.test(value)) {
          ctx.addIssue({
            code: "custom",
            message: `must be ${what} written like "0.05", got ${JSON.stringify(value)}`,
          });
          return z.NEVER;
        }
        text = value;
      }
      const n = new Exact(text);
      if (
        (options.min === "zero" && n.lt(0)) || (options.min === "positive" && n.lte(0)) ||
        (options.max !== undefined && n.gt(options.max))
      ) {
        const range = options.max !== undefined ? ` and <= ${options.max}` : "";
        ctx.addIssue({ code: "custom", message: `must be ${what}${range}, got ${text}` });
        return z.NEVER;
      }
      return text;
    });
}

const description = z.string({ error: "must be text" }).min(1, "must not be empty").optional();

const meterSchema = z.strictObject({
  measure: z.enum(["compute_units", "events"], {
    error: 'must be "compute_units" (sum of compute units) or "events" (count of events)',
  }),
  event_type: z.string({ error: 'must be an event type like "enkf_run"' })
    .regex(EVENT_TYPE, 'must be a lowercase event type like "enkf_run"').optional(),
}, { error: 'must be an object like { "measure": "compute_units" }' });

const metered = {
  description,
  meter: meterSchema,
  event_name: z.string({ error: "must be text" })
    .regex(EVENT_NAME, 'must be a Stripe meter event name like "compute_units"').optional(),
};

const upTo = z.union([z.literal("inf"), decimal({ min: "positive" })], {
  error: 'must be a number > 0, or "inf" on the last tier',
});

const tierSchema = z.strictObject({
  up_to: upTo,
  unit_price: decimal({ min: "zero" }),
  flat_amount: decimal({ min: "zero" }).optional(),
});

const tiers = z.array(tierSchema, { error: "must be a list of tiers" })
  .min(1, "must have at least one tier")
  .superRefine((list, ctx) => {
    let previous: string | undefined;
    list.forEach((tier, i) => {
      const last = i === list.length - 1;
      if (tier.up_to === "inf") {
        if (!last) {
          ctx.addIssue({
            code: "custom",
            path: [i, "up_to"],
            message: `"inf" is only allowed on the last tier (this is tier ${
              i + 1
            } of ${list.length})`,
          });
        }
      } else {
        if (previous !== undefined && new Exact(tier.up_to).lte(new Exact(previous))) {
          ctx.addIssue({
            code: "custom",
            path: [i, "up_to"],
            message: `must be greater than ${previous}`,
          });
        }
        if (last) {
          ctx.addIssue({
            code: "custom",
            path: [i, "up_to"],
            message: `must be "inf" on the last tier, so that every unit has a price`,
          });
        }
        previous = tier.up_to;
      }
    });
  });

const chargeSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("flat"), description, amount: decimal({ min: "zero" }) }),
  z.strictObject({ type: z.literal("per_unit"), ...metered, unit_price: decimal({ min: "zero" }) }),
  z.strictObject({
    type: z.literal("included"),
    ...metered,
    included: decimal({ min: "zero" }),
    unit_price: decimal({ min: "zero" }),
  }),
  z.strictObject({ type: z.literal("graduated"), ...metered, tiers }),
  z.strictObject({ type: z.literal("volume"), ...metered, tiers }),
  z.strictObject({
    type: z.literal("package"),
    ...metered,
    package_size: decimal({ min: "positive" }),
    package_price: decimal({ min: "zero" }),
  }),
  z.strictObject({ type: z.literal("minimum"), description, amount: decimal({ min: "zero" }) }),
  z.strictObject({
    type: z.literal("discount"),
    description,
    percent: decimal({ min: "zero", max: 100 }).optional(),
    amount: decimal({ min: "zero" }).optional(),
  }).superRefine((charge, ctx) => {
    if ((charge.percent === undefined) === (charge.amount === undefined)) {
      ctx.addIssue({
        code: "custom",
        message:
          'needs exactly one of "percent" (like "10" for 10 %) and "amount" (a fixed credit)',
      });
    }
  }),
], {
  error: (issue) =>
    issue.code === "invalid_union" && issue.input && typeof issue.input === "object"
      ? `must be one of flat, per_unit, included, graduated, volume, package, minimum, discount; got ${
        JSON.stringify((issue.input as Record<string, unknown>).type)
      }`
      : "must be a charge object with a type",
});

/** Decimal places of a decimal text. */
function places(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The schema of one plan (without its id). */
export const planSchema = z.strictObject({
  name: z.string({ error: "must be text" }).min(1, "must not be empty").optional(),
  description: z.string({ error: "must be text" }).optional(),
  currency: z.string({ error: 'must be an ISO 4217 code like "USD"' }).refine(isKnownCurrency, {
    error: (issue) =>
      `must be an ISO 4217 code like "USD"; ${JSON.stringify(issue.input)} is not one of ${
        Object.keys(CURRENCY_EXPONENTS).join(", ")
      }`,
  }),
  charges: z.array(chargeSchema, { error: "must be a list of charges" }).min(
    1,
    "must have at least one charge",
  ),
}, { error: 'must be a plan object like { "currency": "USD", "charges": [ ... ] }' }).superRefine(
  (plan, ctx) => {
    if (!isKnownCurrency(plan.currency)) return;
    const exponent = CURRENCY_EXPONENTS[plan.currency];
    const fixed = (value: string | undefined, path: (string | number)[]) => {
      if (value !== undefined && places(new Exact(value).toFixed()) > exponent) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${value} has more decimals than ${plan.currency} allows (${exponent})`,
        });
      }
    };
    // A minimum or discount acts on the lines above it, so a priced charge below one would be
    // left out of the floor or the discount: refuse the order rather than mis-bill.
    const firstAdjustment = plan.charges.findIndex((c) =>
      c.type === "minimum" || c.type === "discount"
    );
    if (firstAdjustment >= 0) {
      plan.charges.forEach((charge, i) => {
        if (i > firstAdjustment && charge.type !== "minimum" && charge.type !== "discount") {
          ctx.addIssue({
            code: "custom",
            path: ["charges", i],
            message: `a "${charge.type}" charge must come before the ${
              plan.charges[firstAdjustment].type
            } charge at charges[${firstAdjustment}] (minimums and discounts act on the charges above them)`,
          });
        }
      });
    }
    plan.charges.forEach((charge, i) => {
      if (charge.type === "flat" || charge.type === "minimum" || charge.type === "discount") {
        fixed(charge.amount, ["charges", i, "amount"]);
      }
      if (charge.type === "graduated" || charge.type === "volume") {
        charge.tiers.forEach((tier, t) =>
          fixed(tier.flat_amount, ["charges", i, "tiers", t, "flat_amount"])
        );
      }
    });
  },
);

/** The schema of a plans file: `{ "plans": { "<id>": plan, ... } }`. */
export const plansFileSchema = z.strictObject({
  $schema: z.string().optional(),
  /** compute units per event of a type, read by src/metering/event_units.ts (not priced here). */
  event_units: z.record(z.string(), z.string()).optional(),
  plans: z.record(
    z.string().regex(ID_PATTERN, 'plan ids are letters, digits, _ . - (like "hybrid")'),
    planSchema,
    { error: 'must be an object of plans by id, like { "hybrid": { ... } }' },
  ),
}, { error: 'must be an object like { "plans": { "hybrid": { ... } } }' });

/** The schema of one tenant (its id comes from its key). */
export const tenantSchema = z.strictObject({
  id: z.string({ error: "must be text" }).optional(),
  name: z.string({ error: "must be the tenant's display name" }).min(1, "must not be empty"),
  plan: z.string({ error: 'must be a plan id like "hybrid"' }).min(1, "must not be empty"),
  currency: z.string({ error: 'must be an ISO 4217 code like "USD"' }).refine(isKnownCurrency, {
    error: (issue) => `must be an ISO 4217 code like "USD", got ${JSON.stringify(issue.input)}`,
  }),
  billing: z.strictObject({
    address: z.string({ error: "must be the postal address, as text" }).min(
      1,
      "must not be empty",
    ),
    email: z.string({ error: "must be an email address" }).regex(
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
      "must be an email address like billing@example.org",
    ),
  }, { error: 'must be an object like { "address": "...", "email": "..." }' }),
  time_zone: z.string({ error: 'must be an IANA time zone like "America/Chicago"' })
    .refine(isTimeZone, {
      error: (issue) =>
        `must be an IANA time zone like "America/Chicago", got ${JSON.stringify(issue.input)}`,
    })
    .optional(),
  stripe_customer_id: z.string({ error: 'must be a Stripe customer id like "cus_demo_a"' })
    .regex(/^cus_[A-Za-z0-9_]+$/, 'must be a Stripe customer id like "cus_demo_a"').optional(),
  /** sha256 (64 lowercase hex) of the tenant's API key; read by src/metering/auth.ts. */
  api_key_sha256: z.string({ error: "must be 64 lowercase hex digits (sha256 of the API key)" })
    .regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits (sha256 of the API key)").optional(),
}, { error: "must be an object with name, plan, currency and billing" });

const TENANT_ID_RULE =
  'tenant ids are 1-64 letters, digits, _ . - starting with a letter or digit, without ".."';

/** The schema of a tenants file: `{ "tenants": { "<id>": tenant, ... } }`. */
export const tenantsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  tenants: z.record(
    z.string().regex(TENANT_ID_PATTERN, TENANT_ID_RULE)
      // ".." is refused too: reports write files named after tenant ids (src/reports/paths.ts)
      .refine((id) => !id.includes(".."), TENANT_ID_RULE),
    tenantSchema,
    { error: 'must be an object of tenants by id, like { "dept_a": { ... } }' },
  ).superRefine((tenants, ctx) => {
    for (const [key, tenant] of Object.entries(tenants)) {
      if (tenant.id !== undefined && tenant.id !== key) {
        ctx.addIssue({
          code: "custom",
          path: [key, "id"],
          message: `must equal the tenant's key ${JSON.stringify(key)}, got ${
            JSON.stringify(tenant.id)
          }`,
        });
      }
    }
  }),
}, { error: 'must be an object like { "tenants": { "dept_a": { ... } } }' });
