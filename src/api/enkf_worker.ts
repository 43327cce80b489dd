/**
 * Worker thread of {@linkcode EnkfWorkerPool} (src/api/enkf_pool.ts): runs
 * the EnKF jobs it is sent, one at a time, each timed on this thread's own
 * CPU clock, and replies with the result and the timing.
 *
 * @module
 */
import { runEnkf } from "../enkf/filter.ts";
import { realClock } from "../metering/clock.ts";
import type { EnkfWorkerReply, EnkfWorkerRequest } from "./enkf_pool.ts";

const scope = globalThis as unknown as {
  onmessage: ((message: MessageEvent<EnkfWorkerRequest>) => void) | null;
  postMessage(reply: EnkfWorkerReply): void;
};

const clock = realClock(); // CPU time of this thread only: the job, not the server around it

scope.onmessage = (message) => {
  const { seq, observations, options } = message.data;
  const watch = clock.start();
  try {
    const result = runEnkf(observations, options);
    const timing = watch.stop({ n_particles: result.options.n_ens, n_steps: result.n_steps });
    scope.postMessage({ seq, result, timing });
  } catch (error) {
    const timing = watch.stop({ n_particles: 0, n_steps: 0 });
    scope.postMessage({
      seq,
      error: error instanceof Error ? error.message.split("\n")[0] : String(error),
      timing,
    });
  }
};
