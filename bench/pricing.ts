/**
 * Pricing bench: 10,000 tenants' invoices for one month of the `scale`
 * scenario with 10M events (the scenario file copied with `months: 1`, so
 * all 10M events fall in the billed month). Prints the time split into
 * aggregation (the warehouse's monthly rollup) and pricing (buildInvoices:
 * every tenant on its plan plus the three-tier fit), and writing the files.
 *
 * Environment: PRICING_BENCH_EVENTS (default 10000000), PRICING_BENCH_TENANTS
 * (default 10000), PRICING_BENCH_ENGINE (native|wasm, default native).
 *
 * @module
 */
import { openWarehouse } from "../src/warehouse/mod.ts";
import { writeScenario } from "../src/generate/mod.ts";
import { parsePlans, parseTenants } from "../src/pricing/mod.ts";
import { buildInvoices, invoicesCsv, invoicesJson, tenantTimeZones } from "../src/invoices/mod.ts";
import { formatMoney } from "../src/money/mod.ts";

const EVENTS = Number(Deno.env.get("PRICING_BENCH_EVENTS") ?? 10_000_000);
const TENANTS = Number(Deno.env.get("PRICING_BENCH_TENANTS") ?? 10_000);
const ENGINE = (Deno.env.get("PRICING_BENCH_ENGINE") ?? "native") as "native" | "wasm";
const MONTH = "2026-10";
const root = new URL("../", import.meta.url);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en-US")}/s`;

const dir = await Deno.makeTempDir({ prefix: "meterbook-bench-pricing-" });
try {
  // one-month copy of the scale scenario
  const scenarioDir = `${dir}/scenarios`;
  await Deno.mkdir(scenarioDir);
  const scale = JSON.parse(await Deno.readTextFile(new URL("data/scenarios/scale.json", root)));
  await Deno.writeTextFile(
    `${scenarioDir}/scale.json`,
    JSON.stringify({ ...scale, from: MONTH, months: 1 }),
  );

  // tenants t00001..: spread over the six shipped plans
  const plans = parsePlans(
    JSON.parse(await Deno.readTextFile(new URL("data/plans.json", root))),
    "data/plans.json",
  );
  const planIds = Object.keys(plans);
  const digits = Math.max(5, String(TENANTS).length);
  const tenantData: Record<string, unknown> = {};
  for (let i = 1; i <= TENANTS; i++) {
    const id = `t${String(i).padStart(digits, "0")}`;
    tenantData[id] = {
      name: `Tenant ${i}`,
      plan: planIds[i % planIds.length],
      currency: "USD",
      billing: { address: `${i} Bench Street`, email: `billing+${id}@example.org` },
      ...(i % 10 === 0 ? { time_zone: "America/Chicago" } : {}),
    };
  }
  let t = performance.now();
  const tenants = parseTenants({ tenants: tenantData }, "bench tenants");
  const validateMs = performance.now() - t;

  const wh = await openWarehouse({ store: `${dir}/store`, engine: ENGINE });
  try {
    t = performance.now();
    const stats = await writeScenario(wh, "scale", {
      seed: 1,
      tenants: TENANTS,
      events: EVENTS,
      scenarioDir,
    });
    const generateMs = performance.now() - t;

    t = performance.now();
    const usageUtc = await wh.usage(MONTH);
    const aggregateUtcMs = performance.now() - t;

    t = performance.now();
    const usage = await wh.usage(MONTH, { timeZones: tenantTimeZones(tenants) });
    const aggregateMs = performance.now() - t;

    t = performance.now();
    const run = buildInvoices({ month: MONTH, usage, plans, tenants });
    const priceMs = performance.now() - t;

    t = performance.now();
    const json = invoicesJson(run);
    const csv = invoicesCsv(run.invoices);
    const serialiseMs = performance.now() - t;

    const lines = run.invoices.reduce((n, i) => n + i.lines.length, 0);
    const billed = run.invoices.reduce((n, i) => n + i.total_minor, 0);
    console.log(
      `scale scenario, one month (${MONTH}): ${stats.stored.toLocaleString("en-US")} events, ` +
        `${TENANTS.toLocaleString("en-US")} tenants, engine ${ENGINE}`,
    );
    console.log(`  generate into the store:          ${seconds(generateMs)} (setup)`);
    console.log(`  validate the tenants file (zod):  ${seconds(validateMs)} (setup)`);
    console.log(
      `  aggregation, UTC rollup:          ${seconds(aggregateUtcMs)} (${usageUtc.length} rows, ${
        rate(stats.stored, aggregateUtcMs)
      } events)`,
    );
    console.log(
      `  aggregation, with time zones:     ${
        seconds(aggregateMs)
      } (${usage.length} rows; 1 in 10 tenants in America/Chicago)`,
    );
    console.log(
      `  pricing (buildInvoices):          ${
        seconds(priceMs)
      } (${run.invoices.length} invoices, ${lines} lines, ` +
        `+ ${run.tier_fit.length} x 3 tier prices; ${rate(run.invoices.length, priceMs)} invoices)`,
    );
    console.log(
      `  invoices.json + invoices.csv:     ${seconds(serialiseMs)} (${
        (json.length / 1e6).toFixed(1)
      } MB + ${(csv.length / 1e6).toFixed(1)} MB)`,
    );
    console.log(
      `  split: aggregation ${seconds(aggregateMs)} / pricing ${seconds(priceMs)}; billed total ${
        formatMoney(billed, "USD")
      }`,
    );
  } finally {
    await wh.close();
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
