/**
 * An on-disk cache of generated `demo` events. Real EnKF runs of production
 * size take tens of seconds, and the report on a fresh clone and several
 * tests generate the demo, so the events are kept under
 * `node_modules/.cache/meterbook/` (or `$MB_CACHE_DIR`) keyed by a sha256 of
 * the resolved scenario, the seed and the source text of every module the
 * generator and the EnKF runs load (the relative-import closure of
 * src/generate/demo.ts and its worker). Any change to those gives a new key.
 *
 * Writes are atomic (temp file + rename in the same folder) and one process
 * at a time builds a missing entry (an exclusive lock on
 * `<name>-<seed>.lock`), so parallel tests wait for it instead of repeating
 * the runs. A cache hit gives byte-identical events (tested).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { UsageEvent } from "../events/mod.ts";
import { sha256Hex } from "../hash.ts";
import type { DemoScenario } from "./scenario.ts";

/** Bumped when the cache file format changes. */
const FORMAT = "meterbook-demo-cache-v1";

/** The modules whose relative-import closure keys the cache. */
const ROOTS = ["./demo.ts", "./enkf_worker.ts"];

/** What a cached generation did. */
export interface DemoCacheInfo {
  /** True when the events were read from the cache. */
  hit: boolean;
  /** The cache file. */
  path: string;
}

const IMPORT =
  /(?:^|[;\s])(?:import|export)\s[^;]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;
const WORKER_URL = /new URL\(\s*["'](\.{1,2}\/[^"']+\.ts)["']\s*,\s*import\.meta\.url\s*\)/g;

/**
 * The source files the demo generator loads (relative imports from
 * src/generate/demo.ts and the EnKF worker, transitively), as
 * `[path relative to src/, sha256]` pairs sorted by path; null when the
 * modules are not local files (then nothing is cached).
 *
 * @example
 * ```ts
 * import { demoSourceDigests } from "./demo_cache.ts";
 * const files = await demoSourceDigests();
 * files?.some(([path]) => path === "enkf/filter.ts"); // true
 * ```
 */
export async function demoSourceDigests(): Promise<Array<[string, string]> | null> {
  const here = new URL(".", import.meta.url);
  if (here.protocol !== "file:") return null;
  const src = new URL("../", here).href;
  const seen = new Map<string, string>();
  const queue = ROOTS.map((r) => new URL(r, import.meta.url).href);
  while (queue.length > 0) {
    const url = queue.pop()!;
    if (seen.has(url)) continue;
    let text: string;
    try {
      text = await Deno.readTextFile(fileURLToPath(url));
    } catch {
      seen.set(url, "unreadable"); // e.g. a path in a doc example
      continue;
    }
    seen.set(url, await sha256Hex(text));
    // imports in doc comments (examples) are not loaded
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const pattern of [IMPORT, WORKER_URL]) {
      for (const m of code.matchAll(pattern)) {
        const spec = m[1] ?? m[2];
        if (spec !== undefined) queue.push(new URL(spec, url).href);
      }
    }
  }
  return [...seen].map(([url, digest]): [string, string] => [
    url.startsWith(src) ? url.slice(src.length) : url,
    digest,
  ]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * The cache key of a demo scenario and seed (64 hex digits), or null when
 * the sources cannot be read.
 *
 * @example
 * ```ts
 * import { demoCacheKey, loadScenario, type DemoScenario } from "./mod.ts";
 * const demo = await loadScenario("demo") as DemoScenario;
 * (await demoCacheKey(demo, 42))?.length; // 64
 * ```
 */
export async function demoCacheKey(scenario: DemoScenario, seed: number): Promise<string | null> {
  const sources = await demoSourceDigests();
  if (sources === null) return null;
  return await sha256Hex(JSON.stringify({ format: FORMAT, scenario, seed, sources }));
}

/**
 * The default cache folder: `$MB_CACHE_DIR` when set, else
 * `node_modules/.cache/meterbook` in the repository (git-ignored); null when
 * the modules are not local files.
 *
 * @example
 * ```ts
 * import { defaultDemoCacheDir } from "./demo_cache.ts";
 * defaultDemoCacheDir(); // e.g. "/work/main/node_modules/.cache/meterbook"
 * ```
 */
export function defaultDemoCacheDir(): string | null {
  try {
    const dir = Deno.env.get("MB_CACHE_DIR");
    if (dir) return dir;
  } catch {
    // no env permission: use the repository folder
  }
  const url = new URL("../../node_modules/.cache/meterbook", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : null;
}

async function readEntry(path: string): Promise<UsageEvent[] | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch {
    return null;
  }
  try {
    const text = await new Response(file.readable.pipeThrough(new DecompressionStream("gzip")))
      .text();
    const nl = text.indexOf("\n");
    if (nl < 0 || text.slice(0, nl) !== FORMAT || !text.endsWith("\n")) return null;
    const events: UsageEvent[] = [];
    for (const line of text.slice(nl + 1).split("\n")) {
      if (line !== "") events.push(JSON.parse(line));
    }
    return events;
  } catch {
    return null; // a damaged entry is rebuilt
  }
}

async function writeEntry(dir: string, path: string, events: UsageEvent[]): Promise<void> {
  let text = `${FORMAT}\n`;
  for (const e of events) text += JSON.stringify(e) + "\n";
  const gz = await new Response(
    new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  const temp = await Deno.makeTempFile({ dir, prefix: ".tmp-", suffix: ".gz" });
  try {
    await Deno.writeFile(temp, new Uint8Array(gz));
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** Removes older entries of the same scenario and seed (other keys). */
async function removeStale(dir: string, stem: string, keep: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.startsWith(`${stem}-`) && entry.name !== keep) {
      await Deno.remove(`${dir}/${entry.name}`).catch(() => {});
    }
  }
}

/**
 * Returns the cached events of a demo scenario and seed, or builds them with
 * `build`, stores them and returns them. Without a usable key or folder it
 * just builds (reported as a miss with an empty path).
 *
 * @example
 * ```ts
 * import { cachedDemoEvents } from "./demo_cache.ts";
 * import { generateDemo, loadScenario, type DemoScenario } from "./mod.ts";
 * const demo = await loadScenario("demo") as DemoScenario;
 * const { events, info } = await cachedDemoEvents(demo, 42, {
 *   dir: await Deno.makeTempDir(),
 *   build: () => generateDemo(demo, { seed: 42 }),
 * });
 * info.hit; // false the first time, true after
 * ```
 */
export async function cachedDemoEvents(
  scenario: DemoScenario,
  seed: number,
  options: { dir: string; build: () => Promise<UsageEvent[]> },
): Promise<{ events: UsageEvent[]; info: DemoCacheInfo }> {
  const key = await demoCacheKey(scenario, seed);
  if (key === null) return { events: await options.build(), info: { hit: false, path: "" } };
  const dir = options.dir.replace(/\/+$/, "");
  const stem = `demo-${scenario.name}-${seed}`;
  const name = `${stem}-${key.slice(0, 32)}.ndjson.gz`;
  const path = `${dir}/${name}`;
  const cached = await readEntry(path);
  if (cached !== null) return { events: cached, info: { hit: true, path } };
  let lock: Deno.FsFile;
  try {
    await Deno.mkdir(dir, { recursive: true });
    lock = await Deno.open(`${dir}/${stem}.lock`, { create: true, write: true });
  } catch {
    return { events: await options.build(), info: { hit: false, path: "" } };
  }
  try {
    await lock.lock(true);
    // another process may have built it while this one waited
    const built = await readEntry(path);
    if (built !== null) return { events: built, info: { hit: true, path } };
    const events = await options.build();
    await writeEntry(dir, path, events);
    await removeStale(dir, stem, name);
    return { events, info: { hit: false, path } };
  } finally {
    await lock.unlock().catch(() => {});
    lock.close();
  }
}
