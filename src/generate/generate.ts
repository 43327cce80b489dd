/**
 * The generation entry points: {@linkcode generateScenario} (events in
 * memory, for `mix` and `demo` scenarios) and {@linkcode writeScenario}
 * (into a warehouse; `scale` as columnar chunks, or as SQL inside DuckDB).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { UsageEvent } from "../events/mod.ts";
import { type DemoEnkfRunner, generateDemo } from "./demo.ts";
import { cachedDemoEvents, defaultDemoCacheDir, type DemoCacheInfo } from "./demo_cache.ts";
import { generateMix } from "./mix.ts";
import {
  MAX_SCALE_EVENTS,
  scaleMonthSelects,
  type ScaleMonthSql,
  scaleSelectSql,
  type ScaleSqlOptions,
} from "./scale_sql.ts";
import { scaleMonthChunks } from "./scale_chunks.ts";
import { type MonthChunks, queryIngestKey } from "../warehouse/mod.ts";
import { type DemoScenario, loadScenario, type ScaleScenario, type Scenario } from "./scenario.ts";

/** The largest tenant count of the `scale` scenario. */
export const MAX_SCALE_TENANTS = 1_000_000;

/** Options of {@linkcode generateScenario} and {@linkcode writeScenario}. */
export interface GenerateOptions {
  /** The seed: a whole number >= 0. Same scenario and seed, same bytes. */
  seed: number;
  /** Tenant count (`scale` only). */
  tenants?: number;
  /** Event count (`mix` and `scale`; the demo's volumes are in its file). */
  events?: number;
  /** Where the scenario files are. Default: the repository's data/scenarios. */
  scenarioDir?: string;
  /** Demo only: replaces the real instrumented EnKF runs (for quick tests). */
  enkfRunner?: DemoEnkfRunner;
  /** Demo only: progress of the EnKF runs. */
  onEnkfProgress?: (done: number, total: number) => void;
  /** Demo only: worker threads for the EnKF runs (default: cores, at most 4). */
  concurrency?: number;
  /**
   * Demo only: the on-disk cache of generated events (see demo_cache.ts).
   * Default `{ dir: defaultDemoCacheDir() }`; `false` always runs the EnKF
   * jobs. Never used with `enkfRunner`.
   */
  cache?: false | { dir?: string };
  /** Demo only: whether the events came from the cache, and its file. */
  onCache?: (info: DemoCacheInfo) => void;
}

/** What a write stored (the warehouse's import statistics). */
export interface GenerationStats {
  read: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  quarantineFile?: string;
}

/** The part of the warehouse generation writes through. */
export interface GenerationTarget {
  append(events: UsageEvent[]): Promise<GenerationStats>;
  appendQuery(selectSql: string | readonly string[]): Promise<GenerationStats>;
  /** The columnar fast path (`scale`), when the target has one; null means "use appendQuery". */
  appendChunks?(
    months: readonly MonthChunks[],
    options: { key: string },
  ): Promise<GenerationStats | null>;
}

function wholeNumber(value: number | undefined, flag: string, min: number, max: number) {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UserError(
      `${flag} ${value}: expected a whole number from ${min} to ${max.toLocaleString("en-US")}`,
    );
  }
}

/** Loads a scenario and checks the options against it. */
export async function resolveScenario(name: string, options: GenerateOptions): Promise<Scenario> {
  wholeNumber(options.seed, "--seed", 0, Number.MAX_SAFE_INTEGER);
  wholeNumber(options.events, "--events", 0, MAX_SCALE_EVENTS);
  wholeNumber(options.tenants, "--tenants", 1, MAX_SCALE_TENANTS);
  const scenario = await loadScenario(name, { scenarioDir: options.scenarioDir });
  if (options.tenants !== undefined && scenario.kind !== "scale") {
    throw new UserError(
      `--tenants: scenario "${name}" has a fixed tenant list; --tenants applies to scale scenarios`,
    );
  }
  if (options.events !== undefined && scenario.kind === "demo") {
    throw new UserError(
      `--events: scenario "${name}" takes its volumes from its file; --events applies to seed and scale scenarios`,
    );
  }
  return scenario;
}

/**
 * The SQL of a `scale` scenario with the options applied (for benches that
 * run the same SELECT elsewhere).
 *
 * @example
 * ```ts
 * import { loadScenario, scaleScenarioSql } from "./mod.ts";
 * import type { ScaleScenario } from "./mod.ts";
 * const scale = await loadScenario("scale") as ScaleScenario;
 * const sql = scaleScenarioSql(scale, { seed: 42, tenants: 100, events: 1000 });
 * ```
 */
export function scaleScenarioSql(scenario: ScaleScenario, options: GenerateOptions): string {
  return scaleSelectSql(scaleSqlOptions(scenario, options));
}

function scaleSqlOptions(scenario: ScaleScenario, options: GenerateOptions): ScaleSqlOptions {
  return {
    seed: options.seed,
    tenants: options.tenants ?? scenario.tenants,
    events: options.events ?? scenario.events,
    from: scenario.from,
    months: scenario.months,
    idPrefix: scenario.id_prefix ?? scenario.name,
    tenantPrefix: scenario.tenant_prefix,
    tenantDigits: scenario.tenant_digits,
    eventTypes: scenario.event_types,
  };
}

/**
 * The per-month SELECTs of a `scale` scenario (see `scaleMonthSelects`).
 *
 * @example
 * ```ts
 * import { loadScenario, scaleScenarioMonthSelects } from "./mod.ts";
 * import type { ScaleScenario } from "./mod.ts";
 * const scale = await loadScenario("scale") as ScaleScenario;
 * const parts = scaleScenarioMonthSelects(scale, { seed: 42, events: 1200 });
 * parts.length; // 12
 * ```
 */
export function scaleScenarioMonthSelects(
  scenario: ScaleScenario,
  options: GenerateOptions,
): ScaleMonthSql[] {
  return scaleMonthSelects(scaleSqlOptions(scenario, options));
}

/**
 * A scenario's events in memory (`seed`, `demo` and other `mix`/`demo`
 * files). `scale` exists only in a store: use {@linkcode writeScenario}.
 *
 * @example
 * ```ts
 * import { generateScenario } from "./mod.ts";
 * const events = await generateScenario("seed", { seed: 42 });
 * events.length; // 200
 * ```
 */
export async function generateScenario(
  name: string,
  options: GenerateOptions,
): Promise<UsageEvent[]> {
  const scenario = await resolveScenario(name, options);
  return generateResolved(scenario, options);
}

function generateResolved(scenario: Scenario, options: GenerateOptions): Promise<UsageEvent[]> {
  switch (scenario.kind) {
    case "mix":
      return Promise.resolve(generateMix(scenario, { seed: options.seed, events: options.events }));
    case "demo":
      return generateDemoCached(scenario, options);
    case "scale":
      throw new UserError(
        `scenario "${scenario.name}" is generated straight into the warehouse: use writeScenario(wh, "${scenario.name}", options) or deno task generate`,
      );
  }
}

async function generateDemoCached(
  scenario: DemoScenario,
  options: GenerateOptions,
): Promise<UsageEvent[]> {
  const build = () =>
    generateDemo(scenario, {
      seed: options.seed,
      enkfRunner: options.enkfRunner,
      concurrency: options.concurrency,
      onEnkfProgress: options.onEnkfProgress,
    });
  const dir = options.cache === false || options.enkfRunner !== undefined
    ? null
    : options.cache?.dir ?? defaultDemoCacheDir();
  if (dir === null) return await build();
  const { events, info } = await cachedDemoEvents(scenario, options.seed, { dir, build });
  options.onCache?.(info);
  return events;
}

/**
 * Generates a scenario into a warehouse and returns what was stored. `mix`
 * and `demo` go through `wh.append`. `scale` goes through `wh.appendChunks`
 * (the rows computed in JS as columnar chunks, checked and encoded by the
 * warehouse's own Parquet writer, no JS object per event) when the target
 * has it and the store holds none of the months or ids; otherwise through
 * `wh.appendQuery` (one SELECT per month over `range(M)`), which dedupes.
 * Either way the stored rows are the same. Writing the same scenario and
 * seed again stores nothing new (every id is a duplicate).
 *
 * @example
 * ```ts
 * import { openWarehouse } from "../warehouse/mod.ts";
 * import { writeScenario } from "./mod.ts";
 * const wh = await openWarehouse({ store: await Deno.makeTempDir() });
 * const stats = await writeScenario(wh, "scale", { seed: 1, tenants: 10, events: 1000 });
 * stats.stored; // 1000
 * await wh.close();
 * ```
 */
export async function writeScenario(
  wh: GenerationTarget,
  name: string,
  options: GenerateOptions,
): Promise<GenerationStats> {
  const scenario = await resolveScenario(name, options);
  if (scenario.kind === "scale") {
    const sqlOptions = scaleSqlOptions(scenario, options);
    const parts = scaleMonthSelects(sqlOptions).map((p) => p.sql);
    if (wh.appendChunks) {
      // the same rows, encoded in JS: taken unless the store already has a month or an id
      const fast = await wh.appendChunks(scaleMonthChunks(sqlOptions), {
        key: await queryIngestKey(parts),
      });
      if (fast) return fast;
    }
    return wh.appendQuery(parts);
  }
  return wh.append(await generateResolved(scenario, options));
}
