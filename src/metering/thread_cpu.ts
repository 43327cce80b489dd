/**
 * CPU time of the calling thread, so that a job is billed for its own work
 * and not for what other threads of the process do meanwhile (the WAL's
 * fsyncs, the HTTP server, other jobs' workers). `process.cpuUsage()` counts
 * the whole process; `process.threadCpuUsage()` counts one thread but only in
 * 10 ms ticks here, and `/proc/thread-self/schedstat` lags by up to a
 * scheduler tick. `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` is exact: called
 * through FFI (about 1 µs a call), where FFI is allowed.
 *
 * @module
 */

/** `CLOCK_THREAD_CPUTIME_ID` per OS, and the C library that has `clock_gettime`. */
const PLATFORMS: Partial<Record<typeof Deno.build.os, { lib: string; clock: number }>> = {
  linux: { lib: "libc.so.6", clock: 3 },
  darwin: { lib: "libSystem.B.dylib", clock: 16 },
};

/**
 * A reader of the calling thread's CPU seconds (monotonic, nanosecond
 * resolution), or `null` where there is none: another OS, no such C library,
 * or no FFI permission (checked without prompting). Each thread that calls it
 * reads its own clock.
 *
 * @example
 * ```ts
 * import { threadCpuSeconds } from "./thread_cpu.ts";
 * const cpu = threadCpuSeconds();
 * if (cpu) {
 *   const t0 = cpu();
 *   // ... work ...
 *   const seconds = cpu() - t0;
 * }
 * ```
 */
export function threadCpuSeconds(): (() => number) | null {
  // one library handle per module instance; each worker has its own, and the reader always reads
  // the clock of the thread that calls it
  if (reader === undefined) reader = openReader();
  return reader;
}

let reader: (() => number) | null | undefined;

function openReader(): (() => number) | null {
  const platform = PLATFORMS[Deno.build.os];
  if (!platform) return null;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
    const lib = Deno.dlopen(
      platform.lib,
      {
        clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
      } as const,
    );
    const timespec = new BigInt64Array(2); // { tv_sec, tv_nsec } on 64-bit systems
    const bytes = new Uint8Array(timespec.buffer);
    const read = (): number => {
      if (lib.symbols.clock_gettime(platform.clock, bytes) !== 0) return NaN;
      return Number(timespec[0]) + Number(timespec[1]) / 1e9;
    };
    return Number.isFinite(read()) ? read : null;
  } catch {
    return null;
  }
}
