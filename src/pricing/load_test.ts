import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import {
  checkTenantPlans,
  definePlan,
  loadPlans,
  loadTenants,
  parsePlans,
  parseTenants,
} from "./mod.ts";

const DATA = new URL("../../data/", import.meta.url).pathname;

function plansWith(charges: unknown[], currency: unknown = "USD") {
  return { plans: { enterprise: { currency, charges } } };
}

function rejects(
  data: unknown,
  message: string,
  parse: (data: unknown, source?: string) => unknown = parsePlans,
) {
  assert.throws(() => parse(data, "plans.json"), (error) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
    assert.equal(error.message, message);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

Deno.test("loads the shipped plans: the seed's six models", async () => {
  const plans = await loadPlans(`${DATA}plans.json`);
  assert.deepEqual(Object.keys(plans), [
    "flat",
    "usage",
    "hybrid",
    "starter",
    "professional",
    "enterprise",
  ]);
  assert.equal(plans.hybrid.currency, "USD");
  assert.equal(plans.hybrid.id, "hybrid");
  assert.deepEqual(plans.enterprise.charges[1], {
    type: "included",
    description: "Compute units",
    meter: { measure: "compute_units" },
    included: "2000",
    unit_price: "0.03",
    event_name: "compute_units",
  });
});

Deno.test("loads the shipped tenants, dept_a..dept_e, each on a known plan", async () => {
  const plans = await loadPlans(`${DATA}plans.json`);
  const tenants = await loadTenants(`${DATA}tenants.json`);
  assert.deepEqual(Object.keys(tenants), ["dept_a", "dept_b", "dept_c", "dept_d", "dept_e"]);
  for (const id of ["dept_a", "dept_b", "dept_c"]) assert.equal(tenants[id].plan, "hybrid");
  assert.equal(tenants.dept_a.stripe_customer_id, "cus_demo_a");
  assert.equal(tenants.dept_e.time_zone, "America/Chicago");
  checkTenantPlans(tenants, plans);
});

Deno.test("accepts YAML plan files, with numbers for prices", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/plans.yaml`,
      [
        "plans:",
        "  hybrid:",
        "    currency: USD",
        "    charges:",
        "      - { type: flat, amount: 500 }",
        "      - type: per_unit",
        "        meter: { measure: compute_units }",
        "        unit_price: 0.05",
      ].join("\n"),
    );
    const plans = await loadPlans(`${dir}/plans.yaml`);
    assert.deepEqual(plans.hybrid.charges[1], {
      type: "per_unit",
      meter: { measure: "compute_units" },
      unit_price: "0.05",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("names the file when it is missing or not JSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      loadPlans(`${dir}/nope.json`),
      new UserError(
        `Cannot read plans file "${dir}/nope.json": no such file (give another with --plans)`,
      ),
    );
    await Deno.writeTextFile(`${dir}/bad.json`, "{ plans: ");
    await assert.rejects(loadPlans(`${dir}/bad.json`), (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, new RegExp(`^${dir}/bad.json: not valid JSON: `));
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad plan: tiers whose up_to does not increase", () => {
  rejects(
    plansWith([{ type: "flat", amount: "4000" }, {
      type: "graduated",
      meter: { measure: "compute_units" },
      tiers: [
        { up_to: 1000, unit_price: "0.10" },
        { up_to: 2000, unit_price: "0.05" },
        { up_to: 1500, unit_price: "0.03" },
        { up_to: "inf", unit_price: "0.01" },
      ],
    }]),
    "plans.json: plans.enterprise.charges[1].tiers[2].up_to: must be greater than 2000",
  );
});

Deno.test("bad plan: a last tier without up_to inf, and inf before the last tier", () => {
  const meter = { measure: "events" };
  rejects(
    plansWith([{ type: "volume", meter, tiers: [{ up_to: 10, unit_price: "1" }] }]),
    'plans.json: plans.enterprise.charges[0].tiers[0].up_to: must be "inf" on the last tier, so that every unit has a price',
  );
  rejects(
    plansWith([{
      type: "graduated",
      meter,
      tiers: [{ up_to: "inf", unit_price: "1" }, { up_to: "inf", unit_price: "1" }],
    }]),
    'plans.json: plans.enterprise.charges[0].tiers[0].up_to: "inf" is only allowed on the last tier (this is tier 1 of 2)',
  );
});

Deno.test("bad plan: unknown currency", () => {
  assert.throws(
    () => parsePlans(plansWith([{ type: "flat", amount: "1" }], "USX"), "plans.json"),
    /^UserError: plans.json: plans.enterprise.currency: must be an ISO 4217 code like "USD"; "USX" is not one of AED/,
  );
});

Deno.test("bad plan: unknown charge type", () => {
  rejects(
    plansWith([{ type: "tiered", amount: "1" }]),
    'plans.json: plans.enterprise.charges[0].type: must be one of flat, per_unit, included, graduated, volume, package, minimum, discount; got "tiered"',
  );
});

Deno.test("bad plan: a missing field, a bad decimal, a misspelt field", () => {
  rejects(
    plansWith([{ type: "flat" }]),
    "plans.json: plans.enterprise.charges[0].amount: missing (required)",
  );
  rejects(
    plansWith([{ type: "flat", amount: "1,000" }]),
    'plans.json: plans.enterprise.charges[0].amount: must be a decimal number >= 0 written like "0.05", got "1,000"',
  );
  rejects(
    plansWith([{
      type: "per_unit",
      meter: { measure: "compute_units" },
      unit_price: "0.05",
      unit_prise: "1",
    }]),
    'plans.json: plans.enterprise.charges[0]: unknown field "unit_prise" (check the spelling)',
  );
  rejects(
    plansWith([{ type: "per_unit", meter: { measure: "compute_units" }, unit_price: "-0.05" }]),
    "plans.json: plans.enterprise.charges[0].unit_price: must be a decimal number >= 0, got -0.05",
  );
});

Deno.test("bad plan: a fixed amount with more decimals than the currency", () => {
  rejects(
    plansWith([{ type: "flat", amount: "500.005" }]),
    "plans.json: plans.enterprise.charges[0].amount: 500.005 has more decimals than USD allows (2)",
  );
  rejects(
    plansWith([{ type: "flat", amount: "0.5" }], "JPY"),
    "plans.json: plans.enterprise.charges[0].amount: 0.5 has more decimals than JPY allows (0)",
  );
});

Deno.test("bad plan: a meter that measures something unknown", () => {
  rejects(
    plansWith([{ type: "per_unit", meter: { measure: "cpu" }, unit_price: "1" }]),
    'plans.json: plans.enterprise.charges[0].meter.measure: must be "compute_units" (sum of compute units) or "events" (count of events)',
  );
});

Deno.test("bad plan: a discount with both or neither of percent and amount, a percent over 100", () => {
  const msg =
    'plans.json: plans.enterprise.charges[0]: needs exactly one of "percent" (like "10" for 10 %) and "amount" (a fixed credit)';
  rejects(plansWith([{ type: "discount" }]), msg);
  rejects(plansWith([{ type: "discount", percent: "10", amount: "5" }]), msg);
  rejects(
    plansWith([{ type: "discount", percent: "110" }]),
    "plans.json: plans.enterprise.charges[0].percent: must be a decimal number >= 0 and <= 100, got 110",
  );
});

Deno.test("bad plan: a package of zero units, a plan without charges, a wrong shape", () => {
  rejects(
    plansWith([{
      type: "package",
      meter: { measure: "events" },
      package_size: 0,
      package_price: "1",
    }]),
    "plans.json: plans.enterprise.charges[0].package_size: must be a decimal number > 0, got 0",
  );
  rejects(plansWith([]), "plans.json: plans.enterprise.charges: must have at least one charge");
  rejects([], 'plans.json: must be an object like { "plans": { "hybrid": { ... } } }');
  rejects(
    { plans: { a: "x" } },
    'plans.json: plans.a: must be a plan object like { "currency": "USD", "charges": [ ... ] }',
  );
});

Deno.test("definePlan validates a plan given in memory, naming it in messages", () => {
  assert.throws(
    () => definePlan("what_if", { currency: "USD", charges: [{ type: "flat", amount: "x" }] }),
    /^UserError: plans.what_if.charges\[0\].amount: must be a decimal number >= 0 written like "0.05", got "x"$/,
  );
});

const TENANT = {
  name: "Dept A",
  plan: "hybrid",
  currency: "USD",
  billing: { address: "1 Main St", email: "ap@a.example.org" },
};

Deno.test("bad tenants: each problem named with its path", () => {
  const bad = (patch: Record<string, unknown>, message: string) =>
    rejects({ tenants: { dept_a: { ...TENANT, ...patch } } }, message, parseTenants);
  bad(
    { time_zone: "Mars/Olympus" },
    'plans.json: tenants.dept_a.time_zone: must be an IANA time zone like "America/Chicago", got "Mars/Olympus"',
  );
  bad(
    { billing: { address: "x", email: "nope" } },
    "plans.json: tenants.dept_a.billing.email: must be an email address like billing@example.org",
  );
  bad(
    { currency: "usd" },
    'plans.json: tenants.dept_a.currency: must be an ISO 4217 code like "USD", got "usd"',
  );
  bad(
    { stripe_customer_id: "acct_1" },
    'plans.json: tenants.dept_a.stripe_customer_id: must be a Stripe customer id like "cus_demo_a"',
  );
  bad(
    { id: "dept_b" },
    'plans.json: tenants.dept_a.id: must equal the tenant\'s key "dept_a", got "dept_b"',
  );
  bad({ name: undefined }, "plans.json: tenants.dept_a.name: missing (required)");
});

Deno.test("checks each tenant's plan exists and uses the tenant's currency", async () => {
  const plans = await loadPlans(`${DATA}plans.json`);
  const t = (patch: Record<string, unknown>) =>
    parseTenants({ tenants: { dept_a: { ...TENANT, ...patch } } });
  assert.throws(
    () => checkTenantPlans(t({ plan: "gold" }), plans, "tenants.json"),
    /^UserError: tenants.json: tenants.dept_a.plan: unknown plan "gold"; the plans are flat, usage, hybrid, starter, professional, enterprise$/,
  );
  assert.throws(
    () => checkTenantPlans(t({ currency: "EUR" }), plans),
    /tenants.dept_a.currency: EUR, but plan "hybrid" is priced in USD/,
  );
});

Deno.test("accepts metering's optional fields: tenants' api_key_sha256, plans' event_units", () => {
  const sha = "a".repeat(64);
  const tenants = parseTenants({
    tenants: {
      dept_a: {
        name: "A",
        plan: "hybrid",
        currency: "USD",
        billing: { address: "1 Main St", email: "ap@a.example.org" },
        api_key_sha256: sha,
      },
    },
  });
  assert.equal(tenants.dept_a.name, "A");
  const plans = parsePlans({
    ...plansWith([{ type: "flat", amount: "10.00" }]),
    event_units: { api_call: "0.001" },
  });
  assert.deepEqual(Object.keys(plans), ["enterprise"]);
  assert.throws(
    () =>
      parseTenants({
        tenants: {
          dept_a: {
            name: "A",
            plan: "hybrid",
            currency: "USD",
            billing: { address: "1 Main St", email: "ap@a.example.org" },
            api_key_sha256: "mb_demo_dept_a",
          },
        },
      }, "tenants.json"),
    (error) => error instanceof UserError && /api_key_sha256/.test(error.message),
  );
});

Deno.test("bad tenants: an id with / or .. is named as a bad id (reports write files by id)", () => {
  const tenant = {
    name: "A",
    plan: "hybrid",
    currency: "USD",
    billing: { address: "1 Main St", email: "ap@a.example.org" },
  };
  for (const id of ["../x", "a/b", "dept..x"]) {
    assert.throws(() => parseTenants({ tenants: { [id]: tenant } }, "tenants.json"), (error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /^tenants\.json: tenants\[".*"\]: tenant ids are 1-64 letters/);
      assert.match(error.message, /"\.\."/);
      return true;
    });
  }
});

Deno.test("bad plan: a priced charge below a minimum or a discount, which would escape it", () => {
  rejects(
    plansWith([
      { type: "minimum", amount: "100" },
      { type: "flat", amount: "10" },
    ]),
    'plans.json: plans.enterprise.charges[1]: a "flat" charge must come before the minimum charge at charges[0] (minimums and discounts act on the charges above them)',
  );
  rejects(
    plansWith([
      { type: "flat", amount: "10" },
      { type: "discount", percent: "10" },
      { type: "per_unit", meter: { measure: "compute_units" }, unit_price: "0.05" },
    ]),
    'plans.json: plans.enterprise.charges[2]: a "per_unit" charge must come before the discount charge at charges[1] (minimums and discounts act on the charges above them)',
  );
});

Deno.test("accepts a minimum followed by a discount after the priced charges", () => {
  parsePlans(
    plansWith([
      { type: "flat", amount: "10" },
      { type: "minimum", amount: "100" },
      { type: "discount", percent: "10" },
    ]),
    "plans.json",
  );
});
