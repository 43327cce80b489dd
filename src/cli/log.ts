/**
 * Console output for commands: results on stdout, logs on stderr, and a
 * progress line that redraws itself on a TTY and prints plain lines otherwise.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Writes one log line to stderr. */
export function log(message: string): void {
  console.error(message);
}

/** A progress reporter for long work. */
export interface Progress {
  /** Reports `done` of `total` (total may be unknown). */
  update(done: number, total?: number): void;
  /** Ends the progress line with a final message. */
  done(message?: string): void;
}

/**
 * Creates a progress reporter labelled `label`. On a TTY it redraws one line
 * at most 10 times a second; otherwise it prints a plain line at every 25%
 * (or every `plainEvery` updates when the total is unknown).
 *
 * @example
 * ```ts
 * import { progress } from "./log.ts";
 * const p = progress("invoices rendered");
 * for (let i = 1; i <= 10; i++) p.update(i, 10);
 * p.done();
 * ```
 */
export function progress(
  label: string,
  options: { tty?: boolean; plainEvery?: number; now?: () => number } = {},
): Progress {
  const tty = options.tty ?? Deno.stderr.isTerminal();
  const now = options.now ?? (() => performance.now());
  let last = -Infinity;
  let lastQuarter = -1;
  let count = 0;
  const fmt = (done: number, total?: number) =>
    total
      ? `${label}: ${done}/${total} (${Math.floor((100 * done) / total)}%)`
      : `${label}: ${done}`;
  return {
    update(done, total) {
      count++;
      if (tty) {
        const t = now();
        if (t - last < 100 && done !== total) return;
        last = t;
        Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${fmt(done, total)}`));
      } else if (total) {
        const quarter = Math.floor((4 * done) / total);
        if (quarter > lastQuarter) {
          lastQuarter = quarter;
          log(fmt(done, total));
        }
      } else if (count % (options.plainEvery ?? 1000) === 0) {
        log(fmt(done));
      }
    },
    done(message) {
      if (tty) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
      if (message) log(message);
    },
  };
}
