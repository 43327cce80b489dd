/**
 * The demo's EnKF jobs and how they run: {@linkcode realEnkfRunner} runs one
 * real instrumented EnKF job (src/enkf `instrumentedEnkfRun`) under the
 * deterministic cost-model clock; {@linkcode runEnkfJobs} runs a list of
 * them on a small pool of workers (one per core, at most 4). Each job is
 * independent and its event depends only on the job, so the results are the
 * same, in the same order, whatever the pool size.
 *
 * @module
 */
import { instrumentedEnkfRun } from "../enkf/job.ts";
import type { UsageEvent } from "../events/mod.ts";

/** One EnKF job of the demo, before it runs. */
export interface DemoEnkfJob {
  id: string;
  ts: string;
  tenant_id: string;
  n_ens: number;
  n_steps: number;
  /** The run's own seed (synthetic epidemic and filter). */
  seed: number;
  costModel: { a: number; b: number };
}

/** Runs one EnKF job and returns its usage event. */
export type DemoEnkfRunner = (job: DemoEnkfJob) => Promise<UsageEvent>;

/** The default runner: a real instrumented EnKF run with the cost-model clock. */
export const realEnkfRunner: DemoEnkfRunner = (job) =>
  instrumentedEnkfRun({
    tenant_id: job.tenant_id,
    ts: job.ts,
    id: job.id,
    n_ens: job.n_ens,
    n_steps: job.n_steps,
    seed: job.seed,
    costModel: job.costModel,
  });

/** Options of {@linkcode runEnkfJobs}. */
export interface EnkfPoolOptions {
  /**
   * Worker threads for the real runs. Default: the machine's cores, at most 4.
   * 1 runs them in this thread, one after another.
   */
  concurrency?: number;
  /** Replaces the real runs (then they run in this thread, in order). */
  runner?: DemoEnkfRunner;
  /** Called after each finished job with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** The default worker count: the machine's cores, at most 4. */
export function defaultEnkfConcurrency(): number {
  const cores = typeof navigator === "object" ? navigator.hardwareConcurrency : 1;
  return Math.max(1, Math.min(4, Math.floor(cores || 1)));
}

function describeJob(job: DemoEnkfJob): string {
  return `EnKF run ${job.id} (${job.tenant_id}, n_ens ${job.n_ens} x n_steps ${job.n_steps})`;
}

/** Worker reply: the event of job `index`, or why it failed. */
export type EnkfWorkerReply =
  | { index: number; event: UsageEvent }
  | { index: number; error: string };

/**
 * Runs EnKF jobs and returns their events in job order.
 *
 * @example
 * ```ts
 * import { runEnkfJobs } from "./enkf_pool.ts";
 * const costModel = { a: 1.94e-7, b: 0.0027 };
 * const events = await runEnkfJobs([
 *   { id: "e1", ts: "2026-10-01T00:00:00.000Z", tenant_id: "dept_a", n_ens: 50, n_steps: 30, seed: 1, costModel },
 *   { id: "e2", ts: "2026-10-02T00:00:00.000Z", tenant_id: "dept_b", n_ens: 60, n_steps: 30, seed: 2, costModel },
 * ], { concurrency: 2 });
 * events.map((e) => e.id); // ["e1", "e2"]
 * ```
 */
export async function runEnkfJobs(
  jobs: readonly DemoEnkfJob[],
  options: EnkfPoolOptions = {},
): Promise<UsageEvent[]> {
  const total = jobs.length;
  const concurrency = Math.min(options.concurrency ?? defaultEnkfConcurrency(), total);
  if (options.runner !== undefined || concurrency <= 1) {
    const runner = options.runner ?? realEnkfRunner;
    const out: UsageEvent[] = [];
    for (const job of jobs) {
      out.push(await runner(job));
      options.onProgress?.(out.length, total);
    }
    return out;
  }
  return await runOnWorkers(jobs, concurrency, options.onProgress);
}

function runOnWorkers(
  jobs: readonly DemoEnkfJob[],
  concurrency: number,
  onProgress?: (done: number, total: number) => void,
): Promise<UsageEvent[]> {
  const url = new URL("./enkf_worker.ts", import.meta.url).href;
  const workers: Worker[] = [];
  const results: UsageEvent[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  return new Promise<UsageEvent[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const feed = (w: Worker) => {
      if (next < jobs.length) {
        const index = next++;
        w.postMessage({ index, job: jobs[index] });
      }
    };
    for (let i = 0; i < concurrency; i++) {
      const w = new Worker(url, { type: "module" });
      workers.push(w);
      w.onmessage = (message: MessageEvent<EnkfWorkerReply>) => {
        const reply = message.data;
        if ("error" in reply) {
          finish(new Error(`${describeJob(jobs[reply.index])} failed: ${reply.error}`));
          return;
        }
        results[reply.index] = reply.event;
        done++; // not inside the optional call: its arguments are skipped when it is absent
        onProgress?.(done, jobs.length);
        if (done === jobs.length) finish();
        else feed(w);
      };
      w.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        finish(new Error(`An EnKF worker failed: ${event.message}`));
      };
      feed(w);
    }
  });
}
