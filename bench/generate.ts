/**
 * Generation bench: `scale` events (10M by default, BENCH_EVENTS to change)
 * into a fresh temporary store through the warehouse (`writeScenario`, which
 * sends one SELECT to `wh.appendQuery`), beside the bare DuckDB SQL doing the
 * same work: the same SELECT written straight to month-partitioned Parquet
 * (one COPY with PARTITION_BY, and one COPY per month; no validation, no
 * dedupe, no sort). Target: >= 5M events/s. The bare runs import DuckDB
 * directly: they are the baseline, outside src/.
 *
 * Run: `deno task bench generate` (or `deno run -A bench/generate.ts`).
 *
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api";
import {
  loadScenario,
  type ScaleScenario,
  scaleScenarioMonthSelects,
  scaleScenarioSql,
  writeScenario,
} from "../src/generate/mod.ts";
import { openWarehouse } from "../src/warehouse/mod.ts";

const EVENTS = Number(Deno.env.get("BENCH_EVENTS") ?? 10_000_000);
const TENANTS = Number(Deno.env.get("BENCH_TENANTS") ?? 1000);
const SEED = 1;
const TARGET = 5_000_000;

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString("en-US");

/** The bare SQL: the same SELECT straight to Parquet, as one partitioned COPY or one COPY per month. */
async function bare(
  scenario: ScaleScenario,
  dir: string,
  mode: "partitioned" | "per-month",
): Promise<number> {
  const options = { seed: SEED, tenants: TENANTS, events: EVENTS };
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    const t0 = performance.now();
    if (mode === "partitioned") {
      const sql = scaleScenarioSql(scenario, options);
      await con.run(
        `COPY (SELECT *, strftime(ts, '%Y-%m') AS month FROM (${sql})) TO '${dir}/bare' ` +
          `(FORMAT parquet, PARTITION_BY (month))`,
      );
    } else {
      for (const part of scaleScenarioMonthSelects(scenario, options)) {
        await Deno.mkdir(`${dir}/bare2/month=${part.month}`, { recursive: true });
        await con.run(
          `COPY (${part.sql}) TO '${dir}/bare2/month=${part.month}/events.parquet' (FORMAT parquet)`,
        );
      }
    }
    return performance.now() - t0;
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

async function viaWarehouse(store: string): Promise<number> {
  const wh = await openWarehouse({ store });
  try {
    const t0 = performance.now();
    const stats = await writeScenario(wh, "scale", {
      seed: SEED,
      tenants: TENANTS,
      events: EVENTS,
    });
    const ms = performance.now() - t0;
    if (stats.stored !== EVENTS) {
      throw new Error(`expected ${EVENTS} stored events, got ${JSON.stringify(stats)}`);
    }
    return ms;
  } finally {
    await wh.close();
  }
}

const dir = await Deno.makeTempDir({ prefix: "meterbook-bench-generate-" });
try {
  const scenario = (await loadScenario("scale")) as ScaleScenario;
  console.log(`scale: ${fmt(EVENTS)} events, ${fmt(TENANTS)} tenants, 12 months, native DuckDB`);
  const partMs = await bare(scenario, dir, "partitioned");
  const monthMs = await bare(scenario, dir, "per-month");
  const bareMs = Math.min(partMs, monthMs);
  const whMs = await viaWarehouse(`${dir}/store`);
  console.log(
    `bare SQL, one COPY ... PARTITION_BY (month): ${(partMs / 1000).toFixed(2)} s, ` +
      `${fmt(rate(EVENTS, partMs))} events/s`,
  );
  console.log(
    `bare SQL, one COPY per month: ${(monthMs / 1000).toFixed(2)} s, ` +
      `${fmt(rate(EVENTS, monthMs))} events/s`,
  );
  console.log(
    `generate (writeScenario -> wh.appendQuery): ${(whMs / 1000).toFixed(2)} s, ` +
      `${fmt(rate(EVENTS, whMs))} events/s`,
  );
  console.log(
    `ratio generate / fastest bare (time): ${(whMs / bareMs).toFixed(2)}x; target >= ${
      fmt(TARGET)
    } events/s: ` +
      `${rate(EVENTS, whMs) >= TARGET ? "met" : "NOT met"}`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
