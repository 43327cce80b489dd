/**
 * Worker thread of {@linkcode runEnkfJobs} (src/generate/enkf_pool.ts): runs
 * the EnKF jobs it is sent, one at a time, and replies with their events.
 *
 * @module
 */
import { type DemoEnkfJob, type EnkfWorkerReply, realEnkfRunner } from "./enkf_pool.ts";

const scope = globalThis as unknown as {
  onmessage: ((message: MessageEvent<{ index: number; job: DemoEnkfJob }>) => void) | null;
  postMessage(reply: EnkfWorkerReply): void;
};

scope.onmessage = async (message) => {
  const { index, job } = message.data;
  try {
    scope.postMessage({ index, event: await realEnkfRunner(job) });
  } catch (error) {
    scope.postMessage({
      index,
      error: error instanceof Error ? error.message.split("\n")[0] : String(error),
    });
  }
};
