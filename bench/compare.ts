/**
 * Bench: compare() on the `scale` scenario, 1,000 tenants over 12 months
 * under the 6 plans of data/plans.json, 1 tenant in 10 billed in
 * America/Chicago (as bench/pricing.ts). Prints the time of the DuckDB
 * aggregation as `deno task compare` runs it (compareUsage: one query per
 * month, each tenant's month in its time zone; the UTC rollup beside it as a
 * baseline), of pricing + statistics (compare), and of writing
 * compare.json/csv.
 *
 * `deno task bench compare`, or `deno run -A bench/compare.ts [--events N] [--tenants N]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openWarehouse } from "../src/warehouse/mod.ts";
import { writeScenario } from "../src/generate/mod.ts";
import { loadPlans } from "../src/pricing/load.ts";
import type { Tenants } from "../src/pricing/types.ts";
import { compare, compareUsage, loadCosts, writeComparison } from "../src/compare/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { events: { type: "string" }, tenants: { type: "string" } },
});
const events = Number(values.events ?? 1_000_000);
const tenantCount = Number(values.tenants ?? 1000);

const root = new URL("../", import.meta.url).pathname;
const plans = await loadPlans(`${root}data/plans.json`);
const costs = await loadCosts(`${root}data/costs.json`);
const planIds = Object.keys(plans);

const dir = await Deno.makeTempDir({ prefix: "meterbook-bench-compare-" });
try {
  const wh = await openWarehouse({ store: `${dir}/store` });
  let t = performance.now();
  await writeScenario(wh, "scale", { seed: 1, tenants: tenantCount, events });
  const generateMs = performance.now() - t;

  // The UTC rollup: a baseline, and the tenant ids the scenario generated.
  t = performance.now();
  const utcUsage = await wh.usageByMonth();
  const aggregateUtcMs = performance.now() - t;

  // Every scale tenant gets a current plan (round-robin) so that deltas and tier fit run too;
  // 1 in 10 bills in America/Chicago, so compareUsage reads each month cut in local time.
  const tenantIds = [...new Set(utcUsage.map((r) => r.tenant_id).filter((x) => x !== null))]
    .sort();
  const tenants: Tenants = {};
  tenantIds.forEach((id, i) => {
    tenants[id!] = {
      id: id!,
      name: id!,
      plan: planIds[i % planIds.length],
      currency: "USD",
      billing: { address: "-", email: "-" },
      ...(i % 10 === 0 ? { time_zone: "America/Chicago" } : {}),
    };
  });
  const zoned = Object.values(tenants).filter((x) => x.time_zone).length;

  t = performance.now();
  const usage = await compareUsage(wh, { tenants });
  const aggregateMs = performance.now() - t;
  await wh.close();

  t = performance.now();
  const result = compare({ usage, plans, tenants, costs });
  const compareMs = performance.now() - t;

  t = performance.now();
  await writeComparison(result, `${dir}/reports`);
  const writeMs = performance.now() - t;

  const priced = result.tenant_months.length * result.plans.length;
  console.log(
    `scale: ${
      events.toLocaleString("en-US")
    } events, ${result.tenants.length} tenants x ${result.months.length} months x ${result.plans.length} plans = ${
      priced.toLocaleString("en-US")
    } priced tenant-months`,
  );
  console.log(`  generate (not part of compare):  ${generateMs.toFixed(0)} ms`);
  console.log(
    `  aggregation, UTC rollup (baseline, usageByMonth): ${
      aggregateUtcMs.toFixed(0)
    } ms (${utcUsage.length} rows)`,
  );
  console.log(
    `  aggregation (compareUsage, ${zoned} of ${tenantIds.length} tenants in America/Chicago, ` +
      `one query per month): ${aggregateMs.toFixed(0)} ms (${usage.length} rows)`,
  );
  console.log(
    `  pricing + statistics (compare):  ${compareMs.toFixed(0)} ms (${
      (priced / (compareMs / 1000)).toFixed(0)
    } priced tenant-months/s)`,
  );
  console.log(`  write compare.json + compare.csv: ${writeMs.toFixed(0)} ms`);
  console.log(
    `  total compare (aggregation + pricing + write): ${
      (aggregateMs + compareMs + writeMs).toFixed(0)
    } ms`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
