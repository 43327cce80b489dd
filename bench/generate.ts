/**
 * Generation bench: `scale` events (10M by default, BENCH_EVENTS to change)
 * into a fresh temporary store through the warehouse: `writeScenario`
 * (the rows computed in JS as columnar chunks, checked row by row and
 * encoded by meterbook's Parquet writer: `wh.appendChunks`), and the same
 * rows through the SQL path (`wh.appendQuery`, DuckDB encodes), beside the
 * bare DuckDB SQL doing the same work: the same SELECT written straight to month-partitioned Parquet
 * with the store's codec (one COPY with PARTITION_BY, one COPY per month,
 * and one COPY per month sorted by (ts, id) as the store's files are; no
 * validation, no dedupe). Target: >= 5M events/s. The bare runs import
 * DuckDB directly: they are the baseline, outside src/. The ratio to the
 * fastest bare run is the figure that survives a busy machine; the load
 * average is printed beside it.
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
import { PARQUET_WRITE_OPTIONS } from "../src/warehouse/native.ts";

const EVENTS = Number(Deno.env.get("BENCH_EVENTS") ?? 10_000_000);
const TENANTS = Number(Deno.env.get("BENCH_TENANTS") ?? 1000);
const SEED = 1;
const TARGET = 5_000_000;

/** CPU seconds of this process (all DuckDB threads), from /proc (0 where there is none). */
function cpuSeconds(): number {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
const cpu: Record<string, number> = {};
async function timed(label: string, run: () => Promise<number>): Promise<number> {
  const c0 = cpuSeconds();
  const ms = await run();
  cpu[label] = cpuSeconds() - c0;
  return ms;
}

/** Bytes of the Parquet files under a folder. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) total += await folderBytes(path);
    else if (e.name.endsWith(".parquet")) total += (await Deno.stat(path)).size;
  }
  return total;
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString("en-US");

/** The bare SQL: the same SELECT straight to Parquet, as one partitioned COPY or one COPY per month. */
async function bare(
  scenario: ScaleScenario,
  dir: string,
  mode: "partitioned" | "per-month" | "per-month-sorted",
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
          `(${PARQUET_WRITE_OPTIONS}, PARTITION_BY (month))`,
      );
    } else {
      const sorted = mode === "per-month-sorted";
      for (const part of scaleScenarioMonthSelects(scenario, options)) {
        const out = `${dir}/${mode}/month=${part.month}`;
        await Deno.mkdir(out, { recursive: true });
        const select = sorted ? `SELECT * FROM (${part.sql}) ORDER BY ts, id` : part.sql;
        await con.run(`COPY (${select}) TO '${out}/events.parquet' (${PARQUET_WRITE_OPTIONS})`);
      }
    }
    return performance.now() - t0;
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

async function viaWarehouse(
  store: string,
  path: "chunks" | "sql",
  scenario: ScaleScenario,
): Promise<number> {
  const wh = await openWarehouse({ store });
  const options = { seed: SEED, tenants: TENANTS, events: EVENTS };
  try {
    const t0 = performance.now();
    const stats = path === "chunks"
      ? await writeScenario(wh, "scale", options)
      : await wh.appendQuery(scaleScenarioMonthSelects(scenario, options).map((p) => p.sql));
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
  const loadBefore = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).trim();
  // Each run starts on a settled disk: the output before it removed and flushed, so that no run
  // pays for the write-back of another's files.
  const settle = async (sub: string) => {
    await Deno.remove(`${dir}/${sub}`, { recursive: true }).catch(() => {});
    await new Deno.Command("sync").output().catch(() => {});
  };
  const partMs = await timed("part", () => bare(scenario, dir, "partitioned"));
  await settle("bare");
  const monthMs = await timed("month", () => bare(scenario, dir, "per-month"));
  await settle("per-month");
  const sortedMs = await timed("sorted", () => bare(scenario, dir, "per-month-sorted"));
  await settle("per-month-sorted");
  const bareMs = Math.min(partMs, monthMs, sortedMs);
  const whMs = await timed("wh", () => viaWarehouse(`${dir}/store`, "chunks", scenario));
  const storeBytes = await folderBytes(`${dir}/store`);
  await settle("store");
  const sqlMs = await timed("sql", () => viaWarehouse(`${dir}/store-sql`, "sql", scenario));
  const sqlBytes = await folderBytes(`${dir}/store-sql`);
  const loadAfter = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).trim();
  const line = (label: string, ms: number, key: string) =>
    console.log(
      `${label.padEnd(48)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${
        fmt(rate(EVENTS, ms)).padStart(10)
      } events/s  (${cpu[key].toFixed(1)} CPU-s)`,
    );
  console.log(`Parquet: ${PARQUET_WRITE_OPTIONS}`);
  line("bare SQL, one COPY ... PARTITION_BY (month):", partMs, "part");
  line("bare SQL, one COPY per month:", monthMs, "month");
  line("bare SQL, one COPY per month, ORDER BY ts, id:", sortedMs, "sorted");
  line("generate (writeScenario -> wh.appendChunks):", whMs, "wh");
  line("the same through the SQL path (wh.appendQuery):", sqlMs, "sql");
  console.log(
    `store size: ${(storeBytes / 1e6).toFixed(1)} MB (appendChunks), ${
      (sqlBytes / 1e6).toFixed(1)
    } MB (appendQuery)`,
  );
  const bareCpu = Math.min(cpu.part, cpu.month, cpu.sorted);
  console.log(
    `ratio generate / fastest bare (time): ${(whMs / bareMs).toFixed(2)}x; target >= ${
      fmt(TARGET)
    } events/s: ${rate(EVENTS, whMs) >= TARGET ? "met" : "NOT met"}` +
      (rate(EVENTS, bareMs) < TARGET
        ? ` (the fastest bare SQL: ${fmt(rate(EVENTS, bareMs))} events/s${
          rate(EVENTS, whMs) >= TARGET ? "" : ", not met either"
        })`
        : ""),
  );
  if (bareCpu > 0) {
    console.log(
      `ratio in CPU-seconds (steadier on a shared machine): ${(cpu.wh / bareCpu).toFixed(2)}x`,
    );
  }
  console.log(`load average before: ${loadBefore}; after: ${loadAfter}`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
