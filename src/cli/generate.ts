/**
 * `deno task generate --scenario NAME [--seed N] [--tenants N] [--events M]`:
 * generates a seeded scenario (data/scenarios/NAME.json) into the event store
 * through the warehouse. Same scenario and seed give byte-identical data;
 * generating again stores nothing new (every id is a duplicate).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { listScenarios, writeScenario } from "../generate/mod.ts";
import { openWarehouse } from "../warehouse/mod.ts";
import type { Command } from "./command.ts";
import { log, progress } from "./log.ts";

/**
 * Parses a count flag: digits with optional `_` or `,` separators, or a
 * short form like `10M`, `250k`, `1e7`. Returns undefined when not given.
 *
 * @example
 * ```ts
 * import { parseCount } from "./generate.ts";
 * parseCount("10M", "--events"); // 10000000
 * ```
 */
export function parseCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().replaceAll(/[_,]/g, "");
  const m = /^(\d+(?:\.\d+)?)(?:e(\d+)|([kKmMgG]))?$/.exec(text);
  let n = NaN;
  if (m) {
    const scale = m[2] !== undefined
      ? 10 ** Number(m[2])
      : m[3] !== undefined
      ? { k: 1e3, m: 1e6, g: 1e9 }[m[3].toLowerCase() as "k" | "m" | "g"]
      : 1;
    n = Number(m[1]) * scale;
  }
  if (!Number.isSafeInteger(n)) {
    throw new UserError(
      `${flag} ${JSON.stringify(value)}: expected a whole number >= 0, like 200, 10_000_000 or 10M`,
    );
  }
  return n;
}

/** The `generate` command. */
export const command: Command = {
  name: "generate",
  summary: "generate a seeded scenario (seed, demo, scale) into the event store",
  usage: "--scenario NAME [--seed N] [--tenants N] [--events M]",
  description: `
Scenarios are the JSON files in data/scenarios/ (see README, "Scenarios"):
  seed   the seed document's month 2026-10: 200 events over dept_a, dept_b, dept_c
  demo   2025-11..2026-10, dept_a..dept_e, enkf_run events from real instrumented EnKF runs
  scale  --tenants N --events M (t00001.. over 2026), generated in SQL inside DuckDB
The same scenario and seed give byte-identical data on any machine; running it again
stores nothing new (every event id is already stored). The demo's EnKF runs (about a
minute of CPU, spread over the cores) are cached in node_modules/.cache/meterbook
(or $MB_CACHE_DIR), keyed by the scenario, seed and generator/EnKF sources: later runs
take about a second; --no-cache runs them again.

Examples:
  deno task generate --scenario seed --seed 42
  deno task generate --scenario scale --seed 1 --tenants 1000 --events 10M --store /tmp/big`,
  options: {
    scenario: { type: "string", valueName: "NAME", description: "the scenario (required)" },
    seed: { type: "string", valueName: "N", description: "the seed, a whole number (default: 42)" },
    tenants: { type: "string", valueName: "N", description: "tenant count (scale only)" },
    events: { type: "string", valueName: "M", description: "event count (seed and scale)" },
    "no-cache": {
      type: "boolean",
      description: "demo: run every EnKF job again instead of reading cached events",
    },
    "scenario-dir": {
      type: "string",
      valueName: "DIR",
      description: "folder of scenario files (default: data/scenarios)",
    },
  },
  async run(ctx) {
    const scenarioDir = ctx.values["scenario-dir"] as string | undefined;
    const name = ctx.values.scenario as string | undefined;
    if (name === undefined) {
      const known = await listScenarios(scenarioDir);
      throw new UserError(`--scenario NAME is required; known scenarios: ${known.join(", ")}`);
    }
    const seed = parseCount(ctx.values.seed as string | undefined, "--seed") ?? 42;
    const tenants = parseCount(ctx.values.tenants as string | undefined, "--tenants");
    const events = parseCount(ctx.values.events as string | undefined, "--events");
    const wh = await openWarehouse({ store: ctx.common.store, engine: ctx.common.engine, log });
    try {
      const bar = progress("EnKF runs");
      const t0 = performance.now();
      const stats = await writeScenario(wh, name, {
        seed,
        tenants,
        events,
        scenarioDir,
        onEnkfProgress: (done, total) => bar.update(done, total),
        cache: ctx.values["no-cache"] === true ? false : undefined,
        onCache: (info) => {
          if (info.hit) log(`demo events from the cache: ${info.path}`);
          else if (info.path) log(`demo events cached in ${info.path}`);
        },
      });
      bar.done();
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `scenario ${name} (seed ${seed}) -> ${wh.store}: read ${stats.read}, stored ${stats.stored}, ` +
          `duplicates ${stats.duplicates}, quarantined ${stats.quarantined}`,
      );
      log(
        `${seconds.toFixed(2)} s, ${
          Math.round(stats.read / Math.max(seconds, 1e-9)).toLocaleString("en-US")
        } events/s`,
      );
      if (stats.quarantineFile) log(`quarantined rows: ${stats.quarantineFile}`);
      return stats.quarantined > 0 ? 1 : 0;
    } finally {
      await wh.close();
    }
  },
};
