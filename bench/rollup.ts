/**
 * Rollup bench: builds a `scale` store (10M events by default; set
 * BENCH_EVENTS / BENCH_TENANTS to change) with the generation module, then
 * times the tenant x event_type x month rollup through the warehouse
 * (`usageByMonth()`) beside the bare DuckDB SQL on the same Parquet files,
 * and prints both and their ratio (target: within 1.5x).
 *
 * @module
 */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeScenario } from "../src/generate/mod.ts";
import { openWarehouse } from "../src/warehouse/mod.ts";

const events = Number(Deno.env.get("BENCH_EVENTS") ?? 10_000_000);
const tenants = Number(Deno.env.get("BENCH_TENANTS") ?? 1000);
const runs = Number(Deno.env.get("BENCH_RUNS") ?? 5);
const store = await Deno.makeTempDir({ prefix: "meterbook-bench-rollup-" });
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

try {
  const wh = await openWarehouse({ store });
  const t = performance.now();
  const stats = await writeScenario(wh, "scale", { seed: 1, tenants, events });
  const buildS = (performance.now() - t) / 1000;
  console.log(
    `built scale store: ${fmt(stats.stored)} events, ${tenants} tenants, ${
      (await wh.months()).length
    } months in ${buildS.toFixed(1)} s (${
      fmt(stats.stored / buildS)
    } events/s through appendChunks)`,
  );

  const best = async (f: () => Promise<unknown>) => {
    await f(); // warm-up
    let min = Infinity;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await f();
      min = Math.min(min, performance.now() - start);
    }
    return min / 1000;
  };

  let whRows = 0;
  const whS = await best(async () => {
    whRows = (await wh.usageByMonth()).length;
  });
  await wh.close();

  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  const glob = join(store, "month=*", "*.parquet").replaceAll("'", "''");
  const bare =
    `SELECT month, tenant_id, event_type, count(*) AS events, sum(compute_units) AS compute_units
    FROM read_parquet('${glob}', hive_partitioning = true, hive_types = {'month': VARCHAR})
    GROUP BY ALL ORDER BY month, tenant_id, event_type`;
  // the bare SQL's rows fetched into JS objects (as any caller needs them), and the query alone
  let bareRows = 0;
  const bareS = await best(async () => {
    bareRows = (await con.runAndReadAll(bare)).getRowObjectsJS().length;
  });
  const bareQueryS = await best(async () => {
    await con.runAndReadAll(bare);
  });
  con.closeSync();
  instance.closeSync();

  if (whRows !== bareRows) {
    throw new Error(`row counts differ: warehouse ${whRows}, bare ${bareRows}`);
  }
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`.padStart(8);
  const rate = (s: number) => `${fmt(stats.stored / s)} events/s`;
  console.log(`rollup (tenant x event_type x month, ${fmt(whRows)} rows), best of ${runs}:`);
  console.log(`  warehouse usageByMonth():  ${ms(whS)}  (${rate(whS)})`);
  console.log(`  bare DuckDB SQL + rows:    ${ms(bareS)}  (${rate(bareS)})`);
  console.log(`  bare DuckDB SQL alone:     ${ms(bareQueryS)}  (rows left inside DuckDB)`);
  const ratio = whS / bareS;
  console.log(
    `  ratio: ${ratio.toFixed(2)}x vs bare SQL + rows (target <= 1.5x: ${
      ratio <= 1.5 ? "OK" : "OVER"
    }); ${(whS / bareQueryS).toFixed(2)}x vs the query alone`,
  );
} finally {
  await Deno.remove(store, { recursive: true });
}
