/**
 * Reading and validating the plans and tenants files (JSON, or YAML for
 * `.yaml`/`.yml`), and plans given in memory. Every problem is a
 * {@linkcode UserError} with one line naming the path and the problem.
 *
 * @module
 */
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { UserError } from "../errors.ts";
import { planSchema, plansFileSchema, tenantsFileSchema } from "./schema.ts";
import type { Charge, Plan, Plans, Tenant, Tenants } from "./types.ts";

/** `["plans", "enterprise", "charges", 1, "up_to"]` -> `plans.enterprise.charges[1].up_to`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) {
      out += out === "" ? key : `.${key}`;
    } else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${
      issue.keys.map((k) => JSON.stringify(k)).join(", ")
    } (check the spelling)`;
  }
  if (issue.code === "invalid_key" && issue.issues.length > 0) {
    return issue.issues[0].message; // a record key's own rule, not the record's message
  }
  if (
    issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union")
  ) {
    return "missing (required)";
  }
  return issue.message;
}

/** The first problem of a failed parse, as `path: problem`, plus how many more there are. */
export function describeIssues(error: z.ZodError, pathPrefix: PropertyKey[] = []): string {
  const issues = error.issues;
  const first = issues[0];
  const path = formatIssuePath([...pathPrefix, ...first.path]);
  const more = issues.length > 1
    ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})`
    : "";
  return `${path === "" ? "" : `${path}: `}${issueMessage(first)}${more}`;
}

async function readData(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new UserError(
      `Cannot read ${what} file ${JSON.stringify(path)}: ${reason} (give another with --${what})`,
    );
  }
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(
      `${path}: not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"}: ${reason}`,
    );
  }
}

function withIds(plans: Record<string, z.output<typeof planSchema>>): Plans {
  const out: Plans = {};
  for (const [id, plan] of Object.entries(plans)) {
    out[id] = {
      id,
      name: plan.name ?? id,
      ...(plan.description !== undefined ? { description: plan.description } : {}),
      currency: plan.currency,
      charges: plan.charges as Charge[],
    };
  }
  return out;
}

/**
 * Validates the content of a plans file (`{ "plans": { id: plan } }`).
 * `source` prefixes error messages (a file name).
 *
 * @example
 * ```ts
 * import { parsePlans } from "./load.ts";
 * const plans = parsePlans({ plans: { basic: { currency: "USD",
 *   charges: [{ type: "flat", amount: "10" }] } } });
 * plans.basic.charges.length; // 1
 * ```
 */
export function parsePlans(data: unknown, source?: string): Plans {
  const result = plansFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new UserError(`${source ? `${source}: ` : ""}${describeIssues(result.error)}`);
  }
  return withIds(result.data.plans);
}

/**
 * Validates one plan given in memory (no file), for "what if" pricing.
 *
 * @example
 * ```ts
 * import { definePlan } from "./load.ts";
 * const plan = definePlan("what_if", { currency: "USD", charges: [
 *   { type: "flat", amount: "500" },
 *   { type: "per_unit", meter: { measure: "compute_units" }, unit_price: "0.04" },
 * ] });
 * ```
 */
export function definePlan(id: string, plan: unknown): Plan {
  const result = planSchema.safeParse(plan, { reportInput: true });
  if (!result.success) {
    throw new UserError(describeIssues(result.error, ["plans", id]));
  }
  return withIds({ [id]: result.data })[id];
}

/**
 * Validates the content of a tenants file (`{ "tenants": { id: tenant } }`).
 *
 * @example
 * ```ts
 * import { parseTenants } from "./load.ts";
 * const tenants = parseTenants({ tenants: { dept_a: { name: "Dept A", plan: "hybrid",
 *   currency: "USD", billing: { address: "1 Main St", email: "ap@a.example.org" } } } });
 * tenants.dept_a.id; // "dept_a"
 * ```
 */
export function parseTenants(data: unknown, source?: string): Tenants {
  const result = tenantsFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new UserError(`${source ? `${source}: ` : ""}${describeIssues(result.error)}`);
  }
  const out: Tenants = {};
  for (const [id, tenant] of Object.entries(result.data.tenants)) {
    const t: Tenant = {
      id,
      name: tenant.name,
      plan: tenant.plan,
      currency: tenant.currency,
      billing: tenant.billing,
    };
    if (tenant.time_zone !== undefined) t.time_zone = tenant.time_zone;
    if (tenant.stripe_customer_id !== undefined) t.stripe_customer_id = tenant.stripe_customer_id;
    out[id] = t;
  }
  return out;
}

/**
 * Reads and validates a plans file (JSON; YAML when it ends in .yaml/.yml).
 *
 * @example
 * ```ts
 * import { loadPlans } from "./load.ts";
 * const plans = await loadPlans("data/plans.json");
 * plans.hybrid.currency; // "USD"
 * ```
 */
export async function loadPlans(path: string): Promise<Plans> {
  return parsePlans(await readData(path, "plans"), path);
}

/**
 * Reads and validates a tenants file (JSON; YAML when it ends in .yaml/.yml).
 *
 * @example
 * ```ts
 * import { loadTenants } from "./load.ts";
 * const tenants = await loadTenants("data/tenants.json");
 * tenants.dept_a.plan; // "hybrid"
 * ```
 */
export async function loadTenants(path: string): Promise<Tenants> {
  return parseTenants(await readData(path, "tenants"), path);
}

/**
 * Checks that every tenant's plan exists and is priced in the tenant's
 * currency. `source` names the tenants file in messages.
 *
 * @example
 * ```ts
 * import { checkTenantPlans, loadPlans, loadTenants } from "./mod.ts";
 * checkTenantPlans(await loadTenants("data/tenants.json"), await loadPlans("data/plans.json"));
 * ```
 */
export function checkTenantPlans(tenants: Tenants, plans: Plans, source?: string): void {
  const prefix = source ? `${source}: ` : "";
  for (const tenant of Object.values(tenants)) {
    const plan = Object.hasOwn(plans, tenant.plan) ? plans[tenant.plan] : undefined;
    if (!plan) {
      throw new UserError(
        `${prefix}tenants.${tenant.id}.plan: unknown plan ${
          JSON.stringify(tenant.plan)
        }; the plans are ${Object.keys(plans).join(", ")}`,
      );
    }
    if (plan.currency !== tenant.currency) {
      throw new UserError(
        `${prefix}tenants.${tenant.id}.currency: ${tenant.currency}, but plan ${
          JSON.stringify(plan.id)
        } is priced in ${plan.currency}; use a plan in ${tenant.currency} or bill in ${plan.currency}`,
      );
    }
  }
}
