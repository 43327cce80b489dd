/**
 * compare.json and compare.csv: the comparison as JSON (everything), and as a
 * tidy CSV with one row per tenant, month and plan; written atomically
 * (temporary file, then rename) under `reports/<to-month>/`.
 *
 * @module
 */
import * as aq from "arquero";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { minorToDecimal } from "../money/money.ts";
import type { CompareResult } from "./types.ts";

/** The CSV columns, in order. */
export const COMPARE_CSV_COLUMNS = [
  "month",
  "tenant_id",
  "plan",
  "current_plan",
  "is_current_plan",
  "compute_units",
  "events",
  "api_calls",
  "currency",
  "charge_minor",
  "charge",
  "cost_minor",
  "margin_minor",
  "delta_vs_current_minor",
  "best_tier",
] as const;

/**
 * The comparison as CSV: one row per tenant, month and plan, sorted by
 * tenant, month and plan (plans-file order). Money in minor units and as
 * exact decimal text.
 *
 * @example
 * ```ts ignore
 * import { compareCsv } from "./output.ts";
 * const csv = compareCsv(result); // "month,tenant_id,plan,..."
 * ```
 */
export function compareCsv(result: CompareResult): string {
  const current = new Map(result.tenants.map((t) => [t.tenant_id, t.current_plan]));
  const cols: Record<(typeof COMPARE_CSV_COLUMNS)[number], unknown[]> = Object.fromEntries(
    COMPARE_CSV_COLUMNS.map((c) => [c, []]),
  ) as unknown as Record<(typeof COMPARE_CSV_COLUMNS)[number], unknown[]>;
  for (const tm of result.tenant_months) {
    const currentPlan = current.get(tm.tenant_id) ?? null;
    for (const plan of result.plan_ids) {
      const charge = tm.charges_minor[plan];
      cols.month.push(tm.month);
      cols.tenant_id.push(tm.tenant_id);
      cols.plan.push(plan);
      cols.current_plan.push(currentPlan ?? "");
      cols.is_current_plan.push(currentPlan === plan);
      cols.compute_units.push(tm.compute_units);
      cols.events.push(tm.events);
      cols.api_calls.push(tm.api_calls);
      cols.currency.push(result.currency);
      cols.charge_minor.push(charge);
      cols.charge.push(minorToDecimal(charge, result.currency));
      cols.cost_minor.push(tm.cost_minor);
      cols.margin_minor.push(charge - tm.cost_minor);
      cols.delta_vs_current_minor.push(
        currentPlan === null ? "" : charge - tm.charges_minor[currentPlan],
      );
      cols.best_tier.push(tm.best_tier ?? "");
    }
  }
  return aq.table(cols).toCSV() + "\n";
}

/** The comparison as pretty JSON text (ends with a newline). */
export function compareJson(result: CompareResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}

/** Writes text to `path` atomically: a temporary file beside it, then a rename. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${Deno.pid}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Refuses to write into a report folder: `dir`, or any folder above it,
 * that holds a manifest.json (so `--out reports/2026-10`, which would write
 * reports/2026-10/2026-10/, is refused too). Writing there would leave the
 * report's manifest hashes stale or its folder with files it does not list.
 * The report writes its own compare.json and compare.csv into a fresh
 * folder, so it never meets this check.
 *
 * @example
 * ```ts ignore
 * import { refuseReportFolder } from "./output.ts";
 * await refuseReportFolder("reports/2026-10"); // throws when reports/2026-10/manifest.json exists
 * await refuseReportFolder("reports/2026-10/2026-10"); // throws too: a parent holds a report
 * ```
 */
export async function refuseReportFolder(dir: string): Promise<void> {
  for (let folder = resolve(dir);; folder = dirname(folder)) {
    if (await holdsManifest(folder)) {
      const where = folder === resolve(dir)
        ? JSON.stringify(dir)
        : `${JSON.stringify(dir)} is inside ${JSON.stringify(folder)}, which`;
      throw new UserError(
        `${where} holds a report (manifest.json), whose hashes would go stale: ` +
          "use another --out, or rerun `deno task report` to refresh the report's comparison",
      );
    }
    if (dirname(folder) === folder) return;
  }
}

async function holdsManifest(folder: string): Promise<boolean> {
  try {
    await Deno.stat(join(folder, "manifest.json"));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

/**
 * Writes compare.json and compare.csv into `<out>/<to-month>/` and returns
 * their paths. Refuses a folder that holds a report ({@linkcode refuseReportFolder}).
 *
 * @example
 * ```ts ignore
 * import { writeComparison } from "./output.ts";
 * const { json, csv } = await writeComparison(result, "reports");
 * ```
 */
export async function writeComparison(
  result: CompareResult,
  out: string,
): Promise<{ dir: string; json: string; csv: string }> {
  const dir = join(out, result.to);
  await refuseReportFolder(dir);
  await Deno.mkdir(dir, { recursive: true });
  const json = join(dir, "compare.json");
  const csv = join(dir, "compare.csv");
  await writeAtomic(json, compareJson(result));
  await writeAtomic(csv, compareCsv(result));
  return { dir, json, csv };
}
