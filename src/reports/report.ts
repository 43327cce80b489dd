/**
 * The whole monthly report job behind `deno task report`: open the store (or
 * generate the demo scenario into a temporary one on a fresh clone), compact
 * the metering WAL, gather the month, and write the folder.
 *
 * @module
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import denoJson from "../../deno.json" with { type: "json" };
import { UserError } from "../errors.ts";
import type { Browser } from "../browser/mod.ts";
import { openWarehouse } from "../warehouse/mod.ts";
import { defaultScenarioDir, writeScenario } from "../generate/mod.ts";
import { openCompactedWarehouse } from "../metering/compact.ts";
import { collectReportInput } from "./collect.ts";
import { loadIssuer } from "./issuer.ts";
import { recoverFolder } from "./atomic.ts";
import { checkOutFolder } from "./out_dir.ts";
import { exists } from "./exists.ts";
import { type ReportFormat, writeReport, type WriteReportResult } from "./write.ts";

/** meterbook's version, from deno.json. */
export const METERBOOK_VERSION: string = denoJson.version;

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The scenario and seed a fresh clone's report runs on. */
export const REPORT_DEMO_SCENARIO = { scenario: "demo", seed: 42 } as const;

/** Options of {@linkcode runReport}. */
export interface RunReportOptions {
  /** The event store folder. */
  store: string;
  /**
   * Whether the store was named explicitly: a missing explicit store is an
   * error; a missing default store means a fresh clone (demo data).
   */
  storeGiven?: boolean;
  plans: string;
  tenants: string;
  /** Cost settings (default costs.json beside the plans file, optional). */
  costs?: string;
  /** Issuer JSON file (default: the built-in issuer). */
  issuer?: string;
  /** The parent output folder (`reports`). */
  out: string;
  /**
   * `YYYY-MM`; default the latest month with events that has ended in UTC
   * and in every tenant's time zone.
   */
  month?: string;
  /** How the month was asked for, named in messages (default `--month YYYY-MM`). */
  monthFlag?: string;
  /** Default html and pdf. */
  formats?: readonly ReportFormat[];
  /** DuckDB engine. */
  engine?: "native" | "wasm";
  /** "Now", for the default month and to refuse a month that has not ended. */
  now: Date;
  /** Report a month that has not ended, marked provisional (default false: refused). */
  allowOpenMonth?: boolean;
  /** A running browser to reuse (tests, benches). */
  browser?: Browser;
  /** Log lines (default stderr). */
  log?: (line: string) => void;
  /** Progress lines while rendering (default true). */
  progress?: boolean;
  /** The demo scenario's seed (default 42). */
  demoSeed?: number;
  /**
   * How long to wait for another run writing into `out` before failing with
   * a one-line error, nothing written (default `LOCK_TIMEOUT_MS`, 30 min).
   * A run on a real store waits once; a demo run up to three times (with
   * `month` given, before it generates its data; then after; then to write),
   * and the limit applies to each of these waits.
   */
  lockTimeoutMs?: number;
}

/** What {@linkcode runReport} did. */
export interface RunReportResult extends WriteReportResult {
  month: string;
  /** Whether the report ran on generated demo data. */
  demo: boolean;
  /** Why the report is provisional (its month has not ended), or null. */
  provisional: string | null;
  /** Warnings shown in the report. */
  warnings: string[];
}

/**
 * Runs the monthly report and writes `<out>/<month>/`.
 *
 * @example
 * ```ts ignore
 * import { runReport } from "./report.ts";
 * const result = await runReport({
 *   store: "data/events", plans: "data/plans.json", tenants: "data/tenants.json",
 *   out: "reports", now: new Date(),
 * });
 * console.log(result.dir, result.pdf);
 * ```
 */
export async function runReport(options: RunReportOptions): Promise<RunReportResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  await checkOutFolder(options.out);
  const issuer = options.issuer ? await loadIssuer(options.issuer) : undefined;
  let store = options.store;
  let demo: {
    scenario: string;
    seed: number;
    reason: string;
    scenarioFile: { path: string; file: string };
  } | null = null;
  let tempStore: string | null = null;
  if (!(await exists(store))) {
    if (options.storeGiven) {
      throw new UserError(
        `No event store at ${JSON.stringify(store)}: import events (\`deno task import FILE\`) ` +
          "or generate some (`deno task generate --scenario demo`) first, or fix --store",
      );
    }
    // With the month known, refuse before generating anything (checked again once it is resolved).
    if (options.month) {
      await refuseToReplaceRealReport(
        join(options.out, options.month),
        store,
        log,
        options.lockTimeoutMs,
      );
    }
    const seed = options.demoSeed ?? REPORT_DEMO_SCENARIO.seed;
    tempStore = await Deno.makeTempDir({ prefix: "meterbook-demo-store-" });
    store = tempStore;
    const scenarioFile = join(defaultScenarioDir(), `${REPORT_DEMO_SCENARIO.scenario}.json`);
    demo = {
      scenario: REPORT_DEMO_SCENARIO.scenario,
      seed,
      // Recorded relative to the repository, so that the manifest does not depend on the checkout.
      scenarioFile: { path: relative(REPO_ROOT, scenarioFile), file: scenarioFile },
      reason: `no event store at ${options.store}, so this report runs on the generated ` +
        `"${REPORT_DEMO_SCENARIO.scenario}" scenario (seed ${seed}). Import real events to report on them.`,
    };
    log(
      `Demo data: no event store at ${options.store}; generating the "${REPORT_DEMO_SCENARIO.scenario}" ` +
        `scenario (seed ${seed}) into a temporary store. Import events to report on real data.`,
    );
  }
  try {
    const engine = options.engine ?? "native";
    const wh = demo
      ? await openWarehouse({ store, engine })
      : await openCompactedWarehouse({ store, engine, log });
    let input;
    try {
      if (demo) await writeScenario(wh, demo.scenario, { seed: demo.seed });
      input = await collectReportInput(wh, {
        month: options.month,
        monthFlag: options.monthFlag,
        now: options.now,
        plans: options.plans,
        tenants: options.tenants,
        costs: options.costs,
        issuer,
        issuerFile: options.issuer,
        demo,
        allowOpenMonth: options.allowOpenMonth,
        version: METERBOOK_VERSION,
        log,
      });
    } finally {
      await wh.close();
    }
    if (demo) {
      await refuseToReplaceRealReport(
        join(options.out, input.month),
        options.store,
        log,
        options.lockTimeoutMs,
      );
    }
    log(`writing the ${input.month} report (${input.invoices?.length ?? 0} invoices)`);
    const result = await writeReport(input, {
      out: options.out,
      formats: options.formats,
      browser: options.browser,
      progress: options.progress,
      log,
      // checked again under the folder's lock: a real report written while this run waited for
      // it must not be replaced either (the check above fails fast, before the "writing" line;
      // this one closes the race)
      check: demo ? (target) => refuseToReplaceWithDemo(target, options.store) : undefined,
      lockTimeoutMs: options.lockTimeoutMs,
    });
    return {
      ...result,
      month: input.month,
      demo: demo !== null,
      provisional: input.provisional ?? null,
      warnings: input.warnings,
    };
  } finally {
    if (tempStore) await Deno.remove(tempStore, { recursive: true }).catch(() => {});
  }
}

/**
 * A demo run (no event store on disk) must never replace a report made from
 * real events: a scheduled run whose store was moved or unmounted would
 * otherwise overwrite finance's month with demo figures. Only an absent
 * folder or an earlier demo report may be replaced.
 */
async function refuseToReplaceRealReport(
  dir: string,
  store: string,
  log: (line: string) => void,
  lockTimeoutMs: number | undefined,
): Promise<void> {
  // A report an interrupted run left moved aside is put back first, so that it is guarded too.
  await recoverFolder(dir, { log, lockTimeoutMs });
  await refuseToReplaceWithDemo(dir, store);
}

/** {@linkcode refuseToReplaceRealReport} once the folder is repaired (and locked by the caller). */
async function refuseToReplaceWithDemo(dir: string, store: string): Promise<void> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, "manifest.json"));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    if (!(await exists(dir))) return;
    text = "{}";
  }
  let demo = false;
  try {
    demo = (JSON.parse(text) as { demo?: unknown }).demo === true;
  } catch {
    // an unreadable manifest is not a demo report's
  }
  if (!demo) {
    throw new UserError(
      `Refusing to replace ${JSON.stringify(dir)} with demo data: there is no event store at ` +
        `${JSON.stringify(store)} (was it moved or unmounted?), and that folder holds a report ` +
        "that is not a demo report. Restore the store, pass --store DIR, or choose another --out",
    );
  }
}
