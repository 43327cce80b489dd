/**
 * `deno task simulate --tenant ID [--n-ens N] [--obs FILE] [--seed N] [--live] [--plot FILE.svg]`:
 * runs one metered EnKF job over a case-count file, prints the forecast
 * summary and the usage event, and stores the event in the warehouse.
 *
 * Without `--live` the job is charged by the calibrated cost model
 * (data/cost_model.json) and its id is derived from every input that makes
 * the event (tenant, event type, formula, the cost model's a and b, the
 * timestamp, the EnKF options and the observations), so the same command
 * with the same `--ts` gives a byte-identical event and any other job a new
 * id; with `--live` the real clock measures CPU and wall time and the id is
 * a random UUID.
 *
 * @module
 */
import {
  type Command,
  decimalOption,
  intOption,
  parseDecimal,
  timestampOption,
} from "./command.ts";
import { UserError } from "../errors.ts";
import { log } from "./log.ts";
import { runInstrumentedEnkf } from "../enkf/job.ts";
import { addDaysUtc, readObservationsCsv } from "../enkf/obs.ts";
import { type EnkfOptions, type ObsNoise, resolveEnkfOptions } from "../enkf/options.ts";
import type { EnkfResult } from "../enkf/filter.ts";
import { costModelClock, type JobClock, realClock } from "../metering/clock.ts";
import { DEFAULT_COST_MODEL_PATH, loadCostModel } from "../metering/cost_model.ts";
import { derivedEventId } from "../metering/derived_id.ts";
import { DEFAULT_FORMULA } from "../metering/formula.ts";
import { MemorySink } from "../metering/sink.ts";

/** Parses `poisson`, `gaussian:SD` or `gaussian:SD:REL`. */
export function parseObsNoise(text: string): ObsNoise {
  const [kind, ...rest] = text.split(":");
  if (kind === "poisson" && rest.length === 0) return { kind: "poisson" };
  if (kind === "gaussian" && rest.length >= 1 && rest.length <= 2) {
    const [sd, rel] = rest.map(parseDecimal);
    if ([sd, rel ?? 0].every((v) => Number.isFinite(v) && v >= 0)) {
      return { kind: "gaussian", sd, rel: rel ?? 0 };
    }
  }
  throw new UserError(
    `--obs-noise ${JSON.stringify(text)}: expected poisson, gaussian:SD or gaussian:SD:REL ` +
      `with numbers >= 0 (e.g. gaussian:5:0.1)`,
  );
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));

/** The text summary `simulate` prints. */
export function forecastSummary(
  result: EnkfResult,
  info: { tenant: string; obsFile: string; dates: string[] },
): string {
  const o = result.options;
  const unit = o.obs_interval === 1
    ? "daily"
    : o.obs_interval === 7
    ? "weekly"
    : `${o.obs_interval}-day`;
  const first = info.dates[0], last = info.dates[info.dates.length - 1];
  const span = first ? ` (${first} .. ${last})` : "";
  const s = result.summary;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `EnKF fit for ${info.tenant}: ${result.n_obs} ${unit} counts from ${info.obsFile}${span}`,
    `  ${o.n_ens} members, seed ${
      JSON.stringify(o.seed)
    }, inflation ${o.inflation}, obs noise ${o.obs_noise.kind}, ${result.n_steps} model days`,
    `  beta  ${s.beta.mean.toFixed(3)} (90% ${s.beta.q05.toFixed(3)} - ${s.beta.q95.toFixed(3)})`,
    `  R0    ${s.r0.mean.toFixed(2)} (90% ${s.r0.q05.toFixed(2)} - ${s.r0.q95.toFixed(2)})`,
    `  infected so far ${pct(s.infected_share.mean)} (90% ${pct(s.infected_share.q05)} - ${
      pct(s.infected_share.q95)
    })`,
  ];
  const h = result.forecast.q50.length;
  if (h > 0) {
    lines.push(`forecast of reported ${unit} cases: median (90% band)`);
    const step = o.obs_interval === 1 && h > 14 ? 7 : 1;
    for (let k = step - 1; k < h; k += step) {
      const label = first
        ? addDaysUtc(first, (result.n_obs + k) * o.obs_interval)
        : `day ${result.day[result.n_obs + k]}`;
      lines.push(
        `  ${label}  ${fmt(result.forecast.q50[k]).padStart(7)} (${fmt(result.forecast.q05[k])} - ${
          fmt(result.forecast.q95[k])
        })`,
      );
    }
  }
  return lines.join("\n");
}

/** The `simulate` command. */
export const command: Command = {
  name: "simulate",
  summary: "run one metered EnKF job over case counts and store its usage event",
  usage: "--tenant ID [--n-ens N] [--obs FILE] [--seed N] [--live] [--plot FILE.svg]",
  description: `Fits a stochastic SEIR model to the case counts with an Ensemble Kalman Filter
(estimating the transmission rate beta), forecasts with ensemble quantiles, prints the summary
and the usage event (compute units = n_ens x n_steps x compute_seconds / 1000 by default), and
appends the event to the store. Without --live the seconds come from the calibrated cost model
(${DEFAULT_COST_MODEL_PATH}, see \`deno task calibrate\`) and the event id from the inputs, so
with --ts the event is reproducible byte for byte; --live measures real CPU time instead.`,
  options: {
    tenant: {
      type: "string",
      valueName: "ID",
      description: "the tenant billed for the job (required)",
    },
    "n-ens": { type: "string", valueName: "N", description: "ensemble size (default: 200)" },
    obs: {
      type: "string",
      valueName: "FILE",
      description: "case counts, CSV date,cases (default: data/obs/sample.csv)",
    },
    seed: { type: "string", valueName: "N", description: "PRNG seed (default: 1)" },
    live: { type: "boolean", description: "measure real CPU time instead of the cost model" },
    plot: {
      type: "string",
      valueName: "FILE.svg",
      description: "write an SVG of the fit and forecast",
    },
    horizon: {
      type: "string",
      valueName: "N",
      description: "forecast periods after the last count (default: 28 days' worth)",
    },
    inflation: {
      type: "string",
      valueName: "X",
      description: "multiplicative inflation >= 1 (default: 1.03)",
    },
    "obs-noise": {
      type: "string",
      valueName: "SPEC",
      description: "poisson | gaussian:SD[:REL] (default: poisson)",
    },
    formula: {
      type: "string",
      valueName: "NAME",
      description: "compute-unit formula (default: seed)",
    },
    "event-type": {
      type: "string",
      valueName: "TYPE",
      description: "event type (default: enkf_run)",
    },
    "cost-model": {
      type: "string",
      valueName: "FILE",
      description: `calibrated cost model (default: ${DEFAULT_COST_MODEL_PATH})`,
    },
    ts: { type: "string", valueName: "ISO", description: "event timestamp (default: now)" },
    id: {
      type: "string",
      valueName: "ID",
      description: "event id (default: derived from the inputs, or random with --live)",
    },
    "dry-run": { type: "boolean", description: "print the event but do not store it" },
  },
  async run(ctx) {
    const v = ctx.values;
    const tenant = v.tenant as string | undefined;
    if (!tenant) throw new UserError("--tenant ID is required, e.g. --tenant dept_a");
    const nEns = intOption("--n-ens", v["n-ens"], 2) ?? 200;
    const seed = intOption("--seed", v.seed, 0) ?? 1;
    const obsFile = (v.obs as string | undefined) ?? "data/obs/sample.csv";
    const series = await readObservationsCsv(obsFile);
    const horizon = intOption("--horizon", v.horizon, 0);
    const inflation = decimalOption("--inflation", v.inflation, 1);
    const obsNoise = v["obs-noise"] === undefined
      ? undefined
      : parseObsNoise(v["obs-noise"] as string);
    const ts = timestampOption("--ts", v.ts) ?? ctx.now;
    const live = v.live === true;
    const eventType = (v["event-type"] as string | undefined) ?? "enkf_run";
    const formula = (v.formula as string | undefined) ?? DEFAULT_FORMULA;
    const enkfOptions: EnkfOptions = {
      n_ens: nEns,
      seed,
      obs_interval: series.interval,
      horizon,
      inflation,
      obs_noise: obsNoise,
    };
    let clock: JobClock;
    let id = v.id as string | undefined;
    if (live) {
      clock = realClock();
    } else {
      const model = await loadCostModel(
        (v["cost-model"] as string | undefined) ?? DEFAULT_COST_MODEL_PATH,
      );
      clock = costModelClock(model);
      // everything that makes this job's event what it is: the same inputs give the same id (a
      // duplicate the store skips), and any other job a new one
      id ??= await derivedEventId({
        job: "simulate",
        tenant_id: tenant,
        event_type: eventType,
        formula,
        cost_model: { a: model.a, b: model.b },
        ts: ts.toISOString(),
        enkf: resolveEnkfOptions(enkfOptions),
        observations: { dates: series.dates, cases: series.cases },
      });
    }
    const sink = new MemorySink();
    const { result, event } = await runInstrumentedEnkf(series.cases, enkfOptions, {
      tenant_id: tenant,
      event_type: eventType,
      clock,
      sink,
      formula,
      id,
      ts,
    });
    console.log(forecastSummary(result, { tenant, obsFile, dates: series.dates }));
    console.log(`usage event (${live ? "live: measured CPU time" : "seeded: cost-model time"}):`);
    console.log(JSON.stringify(event));
    if (typeof v.plot === "string") {
      const { enkfFitSvg } = await import("../enkf/plot.ts");
      await Deno.writeTextFile(
        v.plot,
        enkfFitSvg(result, {
          dates: series.dates[0] ? series.dates : undefined,
          title: `${tenant}: EnKF fit of ${obsFile}`,
        }),
      );
      log(`simulate: plot written to ${v.plot}`);
    }
    if (v["dry-run"]) {
      log("simulate: --dry-run, event not stored");
      return 0;
    }
    // loaded here so that --dry-run and --help never load DuckDB
    const { openWarehouse } = await import("../warehouse/mod.ts");
    const wh = await openWarehouse({ store: ctx.common.store, engine: ctx.common.engine, log });
    try {
      const stats = await wh.append([event]);
      log(
        `simulate: stored ${stats.stored} event${
          stats.stored === 1 ? "" : "s"
        } in ${ctx.common.store}` +
          (stats.duplicates ? ` (${stats.duplicates} duplicate: already stored)` : "") +
          (stats.quarantined ? ` (${stats.quarantined} quarantined)` : ""),
      );
    } finally {
      await wh.close();
    }
    return 0;
  },
};
