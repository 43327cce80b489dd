/**
 * The `demo` generator: months of usage for a handful of tenants with their
 * own sizes, growth and seasonality. api_call and report_gen events are
 * drawn with seedrandom; every enkf_run event is the usage event of a real
 * instrumented EnKF run (src/enkf `instrumentedEnkfRun`) under the
 * scenario's pinned cost-model clock, so its compute units follow from the
 * run's ensemble size and steps.
 *
 * @module
 */
import type { UsageEvent } from "../events/mod.ts";
import { type DemoEnkfJob, type DemoEnkfRunner, runEnkfJobs } from "./enkf_pool.ts";
import { detailFields } from "./mix.ts";
import { ScenarioRandom } from "./random.ts";
import type { DemoScenario, DemoTenant } from "./scenario.ts";
import { addMonths, eventId, idWidth, isoMs, monthsBetween, monthStartMs } from "./time.ts";

export { type DemoEnkfJob, type DemoEnkfRunner, realEnkfRunner } from "./enkf_pool.ts";

/** Options of {@linkcode generateDemo}. */
export interface DemoOptions {
  seed: number;
  /** Replaces the EnKF runner (tests of the counts use a cheap one). */
  enkfRunner?: DemoEnkfRunner;
  /** Worker threads for the real EnKF runs (default: cores, at most 4; 1 = this thread). */
  concurrency?: number;
  /** Called after each EnKF run with (done, total). */
  onEnkfProgress?: (done: number, total: number) => void;
}

/**
 * A tenant's activity level in a month relative to its base counts:
 * compound growth since its first month times a cosine seasonality.
 */
export function demoLevel(tenant: DemoTenant, first: string, month: string): number {
  const age = monthsBetween(tenant.start ?? first, month);
  const calendar = Number(month.slice(5, 7));
  const season = 1 +
    tenant.seasonality.amplitude *
      Math.cos((2 * Math.PI * (calendar - tenant.seasonality.peak_month)) / 12);
  return (1 + tenant.growth) ** age * season;
}

type Draft =
  | { ms: number; order: number; kind: "plain"; event: Omit<UsageEvent, "id" | "ts"> }
  | {
    ms: number;
    order: number;
    kind: "enkf";
    tenant_id: string;
    n_ens: number;
    n_steps: number;
    seed: number;
  };

/**
 * Generates a `demo` scenario's events (sorted by time, ids in that order).
 * Its EnKF jobs run on a small worker pool (see `runEnkfJobs`); the events do
 * not depend on the pool size.
 *
 * @example
 * ```ts
 * import { loadScenario } from "./scenario.ts";
 * import { generateDemo } from "./demo.ts";
 * import type { DemoScenario } from "./scenario.ts";
 * const demo = await loadScenario("demo") as DemoScenario;
 * const events = await generateDemo(demo, { seed: 42 });
 * ```
 */
export async function generateDemo(
  scenario: DemoScenario,
  options: DemoOptions,
): Promise<UsageEvent[]> {
  const r = new ScenarioRandom(`${scenario.name}/${options.seed}`);
  const drafts: Draft[] = [];
  // Fractional expected counts carry over from month to month (per tenant and
  // type), so a tenant's yearly total follows its file closely.
  const carry = new Map<string, number>();
  const count = (key: string, base: number, level: number) => {
    const x = Math.max(0, base * level * (1 + scenario.noise * (2 * r.uniform() - 1)));
    const before = carry.get(key) ?? 0;
    const n = Math.floor(before + x);
    carry.set(key, before + x - n);
    return n;
  };
  for (let k = 0; k < scenario.months; k++) {
    const month = addMonths(scenario.from, k);
    const start = monthStartMs(month);
    const span = monthStartMs(addMonths(month, 1)) - start;
    for (const tenant of scenario.tenants) {
      if (tenant.start !== undefined && tenant.start > month) continue;
      const level = demoLevel(tenant, scenario.from, month);
      const plain = (type: "api_call" | "report_gen", n: number, range: readonly number[]) => {
        for (let i = 0; i < n; i++) {
          const units = r.units(range[0], range[1]);
          const ms = start + Math.floor(r.uniform() * span);
          drafts.push({
            ms,
            order: drafts.length,
            kind: "plain",
            event: {
              tenant_id: tenant.id,
              event_type: type,
              compute_units: units,
              ...detailFields(r, type, units, scenario.api_call.endpoints),
            },
          });
        }
      };
      plain(
        "api_call",
        count(`${tenant.id}/api`, tenant.api_calls, level),
        scenario.api_call.compute_units,
      );
      plain(
        "report_gen",
        count(`${tenant.id}/report`, tenant.reports, level),
        scenario.report_gen.compute_units,
      );
      const runs = count(`${tenant.id}/enkf`, tenant.enkf_runs, level);
      for (let i = 0; i < runs; i++) {
        drafts.push({
          ms: start + Math.floor(r.uniform() * span),
          order: drafts.length,
          kind: "enkf",
          tenant_id: tenant.id,
          n_ens: r.int(tenant.enkf.n_ens[0], tenant.enkf.n_ens[1]),
          n_steps: r.int(tenant.enkf.n_steps[0], tenant.enkf.n_steps[1]),
          seed: r.int(0, 2 ** 31 - 1),
        });
      }
    }
  }
  drafts.sort((a, b) => a.ms - b.ms || a.order - b.order);

  const prefix = scenario.id_prefix ?? scenario.name;
  const width = idWidth(drafts.length);
  const jobs: DemoEnkfJob[] = [];
  const slots: number[] = [];
  const events: UsageEvent[] = [];
  for (let n = 0; n < drafts.length; n++) {
    const d = drafts[n];
    const id = eventId(prefix, options.seed, n, width);
    const ts = isoMs(d.ms);
    if (d.kind === "plain") {
      events.push({ id, ts, ...d.event });
    } else {
      slots.push(events.length);
      events.push({ id, ts, tenant_id: d.tenant_id, event_type: "enkf_run", compute_units: 0 });
      jobs.push({
        id,
        ts,
        tenant_id: d.tenant_id,
        n_ens: d.n_ens,
        n_steps: d.n_steps,
        seed: d.seed,
        costModel: scenario.enkf.cost_model,
      });
    }
  }
  const runs = await runEnkfJobs(jobs, {
    runner: options.enkfRunner,
    concurrency: options.concurrency,
    onProgress: options.onEnkfProgress,
  });
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    // the runner owns the measured fields; id, ts and tenant are the scenario's
    events[slots[i]] = { ...runs[i], id: job.id, ts: job.ts, tenant_id: job.tenant_id };
  }
  return events.map(withoutUndefined);
}

/** The event without keys whose value is undefined (so that it survives a JSON round trip). */
function withoutUndefined(event: UsageEvent): UsageEvent {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (value !== undefined) out[key] = value;
  return out as unknown as UsageEvent;
}
