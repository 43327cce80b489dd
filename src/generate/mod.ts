/**
 * Seeded generation of usage events from scenario files (data/scenarios):
 * `seed` (the seed document's month), `demo` (twelve months for pricing
 * comparisons, with real instrumented EnKF runs) and `scale` (N tenants and M
 * events for benchmarks, computed without one object per event). Same scenario and seed give
 * byte-identical data; {@linkcode eventsSha256} fingerprints a set of events.
 *
 * @example
 * ```ts
 * import { eventsSha256, generateScenario } from "./mod.ts";
 * const events = await generateScenario("seed", { seed: 42 });
 * console.log(events.length, await eventsSha256(events));
 * ```
 *
 * @module
 */
export * from "./generate.ts";
export * from "./scenario.ts";
export * from "./canonical.ts";
export { generateMix } from "./mix.ts";
export {
  type DemoEnkfJob,
  type DemoEnkfRunner,
  demoLevel,
  type DemoOptions,
  generateDemo,
  realEnkfRunner,
} from "./demo.ts";
export {
  cachedDemoEvents,
  defaultDemoCacheDir,
  type DemoCacheInfo,
  demoCacheKey,
  demoSourceDigests,
} from "./demo_cache.ts";
export { defaultEnkfConcurrency, type EnkfPoolOptions, runEnkfJobs } from "./enkf_pool.ts";
export {
  MAX_SCALE_EVENTS,
  type ScaleMonth,
  scaleMonths,
  scaleMonthSelects,
  type ScaleMonthSql,
  scaleSelectSql,
  type ScaleSqlOptions,
} from "./scale_sql.ts";
