/**
 * Bench: the full monthly report for 1,000 tenants of the `scale` scenario,
 * every invoice PDF included. Prints invoice PDFs/s (target >= 20) and the
 * whole run (target <= 90 s).
 *
 * `deno run -A bench/report.ts [--events N] [--tenants N]` (or `deno task bench report`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openWarehouse } from "../src/warehouse/mod.ts";
import { writeScenario } from "../src/generate/mod.ts";
import { runReport } from "../src/reports/report.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    tenants: { type: "string", default: "1000" },
    events: { type: "string", default: "1000000" },
    month: { type: "string", default: "2026-10" },
    keep: { type: "boolean", default: false },
  },
});
const tenants = Number(args.values.tenants);
const events = Number(args.values.events);
const month = args.values.month!;
const root = await Deno.makeTempDir({ prefix: "meterbook-bench-report-" });
const store = `${root}/store`;
const plansOrder = ["hybrid", "professional", "usage", "starter", "enterprise", "flat"];

try {
  let t = performance.now();
  const wh = await openWarehouse({ store });
  try {
    await writeScenario(wh, "scale", { seed: 1, tenants, events });
  } finally {
    await wh.close();
  }
  const genS = (performance.now() - t) / 1000;

  // A tenants file for the scale scenario's t00001.. ids, plans in rotation.
  const tenantRecords: Record<string, unknown> = {};
  for (let i = 1; i <= tenants; i++) {
    const id = `t${String(i).padStart(5, "0")}`;
    tenantRecords[id] = {
      id,
      name: `Tenant ${i} Health Department`,
      plan: plansOrder[i % plansOrder.length],
      currency: "USD",
      billing: { address: `${i} Bench Street, Springfield`, email: `billing@${id}.example.org` },
    };
  }
  const tenantsFile = `${root}/tenants.json`;
  await Deno.writeTextFile(tenantsFile, JSON.stringify({ tenants: tenantRecords }, null, 2));

  t = performance.now();
  const result = await runReport({
    store,
    storeGiven: true,
    plans: "data/plans.json",
    tenants: tenantsFile,
    out: `${root}/reports`,
    month,
    now: new Date("2026-11-25T00:00:00Z"),
    progress: false,
    log: () => {},
  });
  const totalS = (performance.now() - t) / 1000;
  const pdfRate = result.timings.invoicePdfs / (result.timings.binaryMs / 1000);
  const pdfs = result.files.filter((f) => f.endsWith(".pdf")).length;

  console.log(
    `scale scenario: ${tenants} tenants, ${events} events (generated in ${genS.toFixed(1)} s)`,
  );
  console.log(`report ${month}: ${result.files.length} files, ${pdfs} PDFs (${result.pdf})`);
  console.log(
    `  text outputs (HTML, CSV, JSON, SVG): ${(result.timings.textMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `  PDFs and PNGs: ${
      (result.timings.binaryMs / 1000).toFixed(1)
    } s for ${result.timings.invoicePdfs} invoices + report + charts`,
  );
  console.log(
    `invoice PDFs/s: ${pdfRate.toFixed(1)} (target >= 20) ${pdfRate >= 20 ? "OK" : "MISSED"}`,
  );
  console.log(
    `whole report run: ${totalS.toFixed(1)} s (target <= 90 s) ${totalS <= 90 ? "OK" : "MISSED"}`,
  );
  if (args.values.keep) console.log(`kept: ${result.dir}`);
} finally {
  if (!args.values.keep) await Deno.remove(root, { recursive: true }).catch(() => {});
}
