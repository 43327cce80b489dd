/**
 * Regenerates data/obs/sample.csv (daily) and data/obs/sample_weekly.csv
 * from the seeded stochastic SEIR model; see data/obs/README.md.
 *
 *     deno run -A data/obs/make_sample.ts
 *
 * @module
 */
import { addDaysUtc, formatObservationsCsv, simulateSeir } from "../../src/enkf/mod.ts";

const here = new URL(".", import.meta.url);
const START = "2026-07-01"; // day 1
const model = { population: 100_000, sigma: 1 / 3, gamma: 1 / 5, rho: 0.5, e0: 20, i0: 10 };

const daily = simulateSeir({ days: 70, beta: 0.5, seed: 2026, model });
await Deno.writeTextFile(
  new URL("sample.csv", here),
  formatObservationsCsv(Array.from(daily.cases, (_, i) => addDaysUtc(START, i)), daily.cases),
);

const weekly = simulateSeir({ days: 84, beta: 0.5, seed: 2026, model, obs_interval: 7 });
await Deno.writeTextFile(
  new URL("sample_weekly.csv", here),
  formatObservationsCsv(
    Array.from(weekly.cases, (_, i) => addDaysUtc(START, 7 * i + 6)),
    weekly.cases,
  ),
);
console.log(
  `sample.csv: ${daily.cases.length} days; sample_weekly.csv: ${weekly.cases.length} weeks`,
);
