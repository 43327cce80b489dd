/**
 * `deno task calibrate`: times EnKF runs of a few sizes on this machine and
 * fits the cost model seconds = a × n_ens × n_steps + b by least squares,
 * then writes it (with the samples and the machine) to data/cost_model.json.
 * Seeded runs (`deno task simulate` without `--live`, the demo scenario)
 * charge these seconds instead of measuring, so they are reproducible.
 *
 * @module
 */
import os from "node:os";
import { type Command, intOption } from "./command.ts";
import { UserError } from "../errors.ts";
import { log } from "./log.ts";
import { runEnkf } from "../enkf/filter.ts";
import { simulateSeir } from "../enkf/seir.ts";
import { realClock } from "../metering/clock.ts";
import {
  type CostModelFile,
  type CostSample,
  DEFAULT_COST_MODEL_PATH,
  fitCostModel,
} from "../metering/cost_model.ts";

const SIZES: Array<[number, number]> = [
  [50, 60],
  [200, 120],
  [500, 180],
  [1000, 365],
  [2000, 365],
];

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times each size `repeats` times (after one warm-up) and returns the medians. */
export function timeEnkfSizes(
  sizes: Array<[number, number]>,
  repeats: number,
  basis: "cpu" | "wall" = "cpu",
): CostSample[] {
  const clock = realClock({ basis });
  const samples: CostSample[] = [];
  for (const [n_ens, n_steps] of sizes) {
    const { cases } = simulateSeir({ days: n_steps, beta: 0.5, seed: n_steps });
    runEnkf(cases, { n_ens, seed: 0, horizon: 0 }); // warm-up
    const seconds: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const watch = clock.start();
      runEnkf(cases, { n_ens, seed: r + 1, horizon: 0 });
      seconds.push(watch.stop({ n_particles: n_ens, n_steps }).compute_seconds);
    }
    samples.push({ n_ens, n_steps, seconds: median(seconds) });
  }
  return samples;
}

/** The `calibrate` command. */
export const command: Command = {
  name: "calibrate",
  summary: "fit the EnKF cost model (seconds = a x n_ens x n_steps + b) on this machine",
  usage: "[--output FILE] [--repeats N] [--basis cpu|wall]",
  description: `Times EnKF runs of ${
    SIZES.map(([n, s]) => `${n}x${s}`).join(", ")
  } (n_ens x n_steps; the median of --repeats runs each, after a warm-up), fits a and b by least
squares and writes them to the output file. Seeded simulations and the demo scenario charge
these modelled seconds instead of measured ones, so their events are reproducible.`,
  options: {
    output: {
      type: "string",
      valueName: "FILE",
      description: `where to write the model (default: ${DEFAULT_COST_MODEL_PATH})`,
    },
    repeats: { type: "string", valueName: "N", description: "timed runs per size (default: 5)" },
    basis: {
      type: "string",
      valueName: "cpu|wall",
      description: "which seconds to fit, as the live clock bills them (default: cpu)",
    },
  },
  async run(ctx) {
    const output = (ctx.values.output as string | undefined) ?? DEFAULT_COST_MODEL_PATH;
    const repeats = intOption("--repeats", ctx.values.repeats, 1, 100) ?? 5;
    const basis = (ctx.values.basis as string | undefined) ?? "cpu";
    if (basis !== "cpu" && basis !== "wall") {
      throw new UserError(`--basis ${JSON.stringify(basis)}: expected cpu or wall`);
    }
    log(`calibrate: timing ${SIZES.length} sizes x ${repeats} runs (${basis} seconds)`);
    const samples = timeEnkfSizes(SIZES, repeats, basis);
    for (const s of samples) {
      log(`  n_ens ${s.n_ens} x n_steps ${s.n_steps}: ${(s.seconds * 1000).toFixed(2)} ms`);
    }
    const fit = fitCostModel(samples);
    const file: CostModelFile = {
      a: fit.a,
      b: fit.b,
      formula: "seconds = a * n_ens * n_steps + b",
      r2: Math.round(fit.r2 * 1e6) / 1e6,
      fitted_at: ctx.now.toISOString(),
      machine: {
        basis,
        os: `${Deno.build.os}-${Deno.build.arch}`,
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model ?? "unknown",
        deno: Deno.version.deno,
        v8: Deno.version.v8,
        repeats,
      },
      samples: samples.map((s) => ({ ...s, seconds: Math.round(s.seconds * 1e6) / 1e6 })),
    };
    await Deno.writeTextFile(output, JSON.stringify(file, null, 2) + "\n");
    console.log(
      `cost model: seconds = ${fit.a.toExponential(4)} x n_ens x n_steps + ${
        fit.b.toFixed(6)
      } (r2 ${fit.r2.toFixed(4)}), written to ${output}`,
    );
  },
};
