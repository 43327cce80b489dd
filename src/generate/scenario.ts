/**
 * Scenario files: what `deno task generate --scenario NAME` reads from
 * `data/scenarios/NAME.json`, checked with zod. Three kinds:
 *
 * - `mix`: one month, a fixed number of events, tenants and event types drawn
 *   with weights, compute units uniform in a range per type (the `seed`).
 * - `demo`: months of per-tenant volumes with growth and seasonality, EnKF
 *   runs from real instrumented simulations (the `demo`).
 * - `scale`: N tenants and M events generated in SQL (the `scale`).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { UserError } from "../errors.ts";
import { EVENT_TYPE_PATTERN, TENANT_ID_PATTERN } from "../events/mod.ts";
import { addMonths, isMonth, MONTH_PATTERN } from "../events/month.ts";

/** The last month a scenario may cover (its next month must be a 4-digit year too). */
const LAST_SCENARIO_MONTH = "9999-11";
const MONTH = z.string().regex(MONTH_PATTERN, "expected a month like 2026-10");
const TENANT = z.string().regex(TENANT_ID_PATTERN, "not a valid tenant id");
const TYPE = z.string().regex(EVENT_TYPE_PATTERN, "expected a lowercase event type");
const WEIGHT = z.number().finite().nonnegative();
const RANGE = z.tuple([z.number().finite().nonnegative(), z.number().finite().nonnegative()])
  .refine(([lo, hi]) => lo <= hi, "range [lo, hi] needs lo <= hi");
/** Compute units per event: at most 1e9, so that millionths stay exact in a double (and in SQL). */
const UNITS = RANGE.refine(([, hi]) => hi <= 1e9, "compute units per event are at most 1e9");
/** Weighted choices need some weight. */
const someWeight = (items: ReadonlyArray<{ weight: number }>) => items.some((i) => i.weight > 0);
const INT_RANGE = z.tuple([z.number().int().positive(), z.number().int().positive()])
  .refine(([lo, hi]) => lo <= hi, "range [lo, hi] needs lo <= hi");
const PREFIX = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, "expected a short id prefix");

const EventTypeSpec = z.object({
  /** The event type, e.g. `api_call`. */
  type: TYPE,
  /** Relative probability of this type. */
  weight: WEIGHT,
  /** Compute units per event, uniform in [lo, hi] on a 6-decimal grid. */
  compute_units: UNITS,
}).strict();
const EVENT_TYPES = z.array(EventTypeSpec).min(1).refine(
  someWeight,
  "event types need a weight above 0 (they are all 0)",
);

const common = {
  /** What the scenario is for (free text). */
  description: z.string(),
  /** Event ids are `<id_prefix>-<seed>-<n>`; defaults to the scenario name. */
  id_prefix: PREFIX.optional(),
};

const MixScenarioSchema = z.object({
  ...common,
  kind: z.literal("mix"),
  /** The month all events fall in (UTC). */
  month: MONTH,
  /** How many events (`--events` overrides). */
  events: z.number().int().nonnegative(),
  tenants: z.array(z.object({ id: TENANT, weight: WEIGHT }).strict()).min(1).refine(
    someWeight,
    "tenants need a weight above 0 (they are all 0)",
  ),
  event_types: EVENT_TYPES,
  /** API endpoints api_call events name (drawn uniformly). */
  endpoints: z.array(z.string()).min(1).optional(),
}).strict();

const Seasonality = z.object({
  /** Relative swing: 0.3 means +30% at the peak month and -30% six months later. */
  amplitude: z.number().min(0).max(1),
  /** Calendar month (1-12) of the peak. */
  peak_month: z.number().int().min(1).max(12),
}).strict();

const DemoTenantSchema = z.object({
  id: TENANT,
  /** First month with usage (default: the scenario's first month). */
  start: MONTH.optional(),
  /** api_call events in the first month, before growth and seasonality. */
  api_calls: z.number().nonnegative(),
  /** report_gen events in the first month. */
  reports: z.number().nonnegative(),
  /** enkf_run events (each a real instrumented EnKF run) in the first month. */
  enkf_runs: z.number().nonnegative(),
  /** Month-on-month growth rate, e.g. 0.05 for +5% a month (negative shrinks). */
  growth: z.number().min(-0.5).max(1),
  seasonality: Seasonality,
  /** Ensemble sizes and daily steps of this tenant's EnKF runs, uniform in [lo, hi]. */
  enkf: z.object({ n_ens: INT_RANGE, n_steps: INT_RANGE }).strict(),
}).strict();

const DemoScenarioSchema = z.object({
  ...common,
  kind: z.literal("demo"),
  /** First month (UTC). */
  from: MONTH,
  /** Number of months. */
  months: z.number().int().min(1).max(120),
  /** Relative month-to-month noise on every count, e.g. 0.1 for +-10%. */
  noise: z.number().min(0).max(1),
  api_call: z.object({ compute_units: UNITS, endpoints: z.array(z.string()).min(1) }).strict(),
  report_gen: z.object({ compute_units: UNITS }).strict(),
  enkf: z.object({
    /**
     * The deterministic cost-model clock of the instrumented runs:
     * compute_seconds = a * n_ens * n_steps + b. Pinned here (not read from
     * data/cost_model.json) so that recalibrating a machine does not change
     * the demo's data.
     */
    cost_model: z.object({ a: z.number().nonnegative(), b: z.number().nonnegative() }).strict(),
  }).strict(),
  tenants: z.array(DemoTenantSchema).min(1),
}).strict();

const ScaleScenarioSchema = z.object({
  ...common,
  kind: z.literal("scale"),
  /** First month (UTC); timestamps are spread evenly over `months` months. */
  from: MONTH,
  months: z.number().int().min(1).max(120),
  /** Default tenant count (`--tenants` overrides). */
  tenants: z.number().int().positive(),
  /** Default event count (`--events` overrides). */
  events: z.number().int().nonnegative(),
  /** Tenant ids are the prefix and a zero-padded number: t00001. */
  tenant_prefix: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/),
  tenant_digits: z.number().int().min(1).max(12),
  event_types: EVENT_TYPES,
}).strict();

const ScenarioSchema = z.discriminatedUnion("kind", [
  MixScenarioSchema,
  DemoScenarioSchema,
  ScaleScenarioSchema,
]);

/** A `mix` scenario (the seed). */
export type MixScenario = z.infer<typeof MixScenarioSchema> & { name: string };
/** A `demo` scenario. */
export type DemoScenario = z.infer<typeof DemoScenarioSchema> & { name: string };
/** One tenant of a `demo` scenario. */
export type DemoTenant = z.infer<typeof DemoTenantSchema>;
/** A `scale` scenario. */
export type ScaleScenario = z.infer<typeof ScaleScenarioSchema> & { name: string };
/** Any scenario, by kind. */
export type Scenario = MixScenario | DemoScenario | ScaleScenario;

/** The folder of the bundled scenario files (data/scenarios beside src/). */
export function defaultScenarioDir(): string {
  const url = new URL("../../data/scenarios/", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : "data/scenarios";
}

/**
 * The scenario names in a folder (its `*.json` files), sorted.
 *
 * @example
 * ```ts
 * import { listScenarios } from "./scenario.ts";
 * await listScenarios(); // ["demo", "scale", "seed"]
 * ```
 */
export async function listScenarios(scenarioDir = defaultScenarioDir()): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(scenarioDir)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name.slice(0, -5));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`Cannot list scenarios: folder "${scenarioDir}" does not exist`);
    }
    throw error;
  }
  return names.sort();
}

/**
 * Reads and checks `<scenarioDir>/<name>.json`. An unknown name or a bad file
 * is a {@linkcode UserError} naming the known scenarios or the bad field.
 *
 * @example
 * ```ts
 * import { loadScenario } from "./scenario.ts";
 * const seed = await loadScenario("seed");
 * seed.kind; // "mix"
 * ```
 */
export async function loadScenario(
  name: string,
  options: { scenarioDir?: string } = {},
): Promise<Scenario> {
  const dir = options.scenarioDir ?? defaultScenarioDir();
  const known = await listScenarios(dir);
  if (!known.includes(name)) {
    throw new UserError(
      `Unknown scenario ${JSON.stringify(name)}: known scenarios are ${
        known.join(", ") || "(none)"
      } (files in ${dir})`,
    );
  }
  const path = `${dir.replace(/\/$/, "")}/${name}.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(`Cannot read scenario file "${path}": ${why}`);
  }
  if (raw !== null && typeof raw === "object" && "$comment" in raw) {
    delete (raw as Record<string, unknown>)["$comment"];
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    throw new UserError(`Bad scenario file "${path}": ${where}: ${issue.message}`);
  }
  const data = parsed.data;
  // months have 4-digit years, and the store bounds a month by the start of the next one, so
  // the last month a scenario can fill is 9999-11
  if (data.kind === "mix") {
    if (data.month > LAST_SCENARIO_MONTH) {
      throw new UserError(
        `Bad scenario file "${path}": month: ${data.month} is after ${LAST_SCENARIO_MONTH}, the last month a scenario can fill`,
      );
    }
  } else {
    const last = addMonths(data.from, data.months - 1);
    if (!isMonth(last) || last > LAST_SCENARIO_MONTH) {
      const span = data.months === 1 ? "1 month" : `${data.months} months`;
      throw new UserError(
        `Bad scenario file "${path}": months: ${span} from ${data.from} would end in ${last}, after ${LAST_SCENARIO_MONTH}; start earlier or cover fewer months`,
      );
    }
  }
  return { ...data, name } as Scenario;
}
