/**
 * The frame every CLI command shares: the common options (`--store`,
 * `--plans`, `--tenants`, `--out`, `--month`, `--engine`, `--help`), argument
 * parsing with `node:util` parseArgs, and `--help` text.
 *
 * A command module exports a {@linkcode Command}; `src/cli.ts` dispatches to it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { isMonth } from "../events/month.ts";
import { isCalendarDate } from "../events/date.ts";
import { UserError } from "../errors.ts";

/** One command-specific option. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** What `--help` says about it. */
  description: string;
  /** The placeholder shown in `--help`, like `N` or `FILE`. */
  valueName?: string;
}

/** The engine that runs the warehouse's SQL. */
export type Engine = "native" | "wasm";

/** The options every command shares, with their defaults applied. */
export interface CommonOptions {
  /** The event store folder (`--store`, default `data/events`). */
  store: string;
  /** The plans file (`--plans`, default `data/plans.json`). */
  plans: string;
  /** The tenants file (`--tenants`, default `data/tenants.json`). */
  tenants: string;
  /** The output folder (`--out`, default `reports`). */
  out: string;
  /** `--month YYYY-MM`, with `previous` resolved; undefined when not given. */
  month?: string;
  /** `--engine native|wasm`, default `native`. */
  engine: Engine;
  /** Which of the common options the user gave explicitly. */
  given: ReadonlySet<string>;
}

/** What a command's `run` receives. */
export interface CommandContext {
  common: CommonOptions;
  /** The command's own options, by name. */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The instant the command started (the CLI is the only place that reads the clock). */
  now: Date;
}

/** A CLI command. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The argument part of the usage line, like `FILE...` or `[--live]`. */
  usage?: string;
  /** A paragraph or more of help after the usage line. */
  description?: string;
  options?: Record<string, OptionSpec>;
  /** Whether positional arguments are accepted. */
  positionals?: boolean;
  /** Runs the command and returns the exit code (0 when omitted). */
  run(ctx: CommandContext): Promise<number | void>;
}

const COMMON: Record<string, OptionSpec & { default?: string }> = {
  store: {
    type: "string",
    valueName: "DIR",
    description: "the event store folder",
    default: "data/events",
  },
  plans: {
    type: "string",
    valueName: "FILE",
    description: "the plans file (JSON or YAML)",
    default: "data/plans.json",
  },
  tenants: {
    type: "string",
    valueName: "FILE",
    description: "the tenants file (JSON or YAML)",
    default: "data/tenants.json",
  },
  out: { type: "string", valueName: "DIR", description: "the output folder", default: "reports" },
  month: {
    type: "string",
    valueName: "YYYY-MM",
    description: "the billing month, or `previous` for the calendar month before today (UTC)",
  },
  engine: {
    type: "string",
    valueName: "native|wasm",
    description: "the DuckDB engine that runs the SQL",
    default: "native",
  },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/**
 * An integer flag: decimal digits only (with an optional leading `-`, so that a negative value
 * gets the range message), from `min` to `max`; `undefined` when not given. Anything else
 * (`1e3`, `0x10`, `1.5`, `" 7 "`, `""`) is a one-line {@linkcode UserError} naming the flag, the
 * value and the range, followed by `hint` when given.
 *
 * @example
 * ```ts
 * import { intOption } from "./command.ts";
 * intOption("--port", "8080", 0, 65535); // 8080
 * intOption("--port", undefined, 0, 65535); // undefined
 * intOption("--n-ens", "1e3", 2); // throws UserError: --n-ens "1e3": expected an integer >= 2
 * ```
 */
export function intOption(
  flag: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  hint?: string,
): number | undefined {
  if (value === undefined) return undefined;
  // decimal digits only: Number() would also take "0x10", "1e3", " 7 " and ""
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError(
      `${flag} ${JSON.stringify(value)}: expected an integer ${
        max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`
      }${hint ? ` ${hint}` : ""}`,
    );
  }
  return n;
}

/** Plain decimal notation: digits with an optional fraction (`1`, `1.03`, `0.5`, `.5`). */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * A finite number written in plain decimal notation, or `NaN`: `Number()`
 * would also take `1e0`, `0x10`, `Infinity`, `" 7 "` and `""` (as 0).
 *
 * @example
 * ```ts
 * import { parseDecimal } from "./command.ts";
 * parseDecimal("1.03"); // 1.03
 * parseDecimal("1e0"); // NaN
 * ```
 */
export function parseDecimal(text: string): number {
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? n : NaN; // 309 digits overflow to Infinity
}

/**
 * A decimal flag (see {@linkcode parseDecimal}) that must be at least `min`;
 * `undefined` when not given. Anything else is a one-line
 * {@linkcode UserError} naming the flag, the value and the bound.
 *
 * @example
 * ```ts
 * import { decimalOption } from "./command.ts";
 * decimalOption("--inflation", "1.05", 1); // 1.05
 * decimalOption("--inflation", "1e0", 1); // throws UserError: --inflation "1e0": expected a number >= 1
 * ```
 */
export function decimalOption(flag: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "string" ? parseDecimal(value) : NaN;
  if (!Number.isFinite(n) || n < min) {
    throw new UserError(`${flag} ${JSON.stringify(value)}: expected a number >= ${min}`);
  }
  return n;
}

/** An RFC 3339 date-time with its zone: `Z` or a numeric offset (seconds required). */
const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-](0\d|1[0-4]):[0-5]\d)$/;

/**
 * A timestamp flag such as `--ts`: an RFC 3339 date-time with `Z` or a
 * numeric offset (`2026-10-03T14:05:09Z`, `2026-10-03T09:05:09-05:00`,
 * fractions to the nanosecond, kept to the millisecond); `undefined` when
 * not given. Stricter than event import, which also takes a space for `T`
 * and compact offsets: a date alone, a time without seconds or zone, a leap
 * second (`:60`) or a day the month does not have is a one-line
 * {@linkcode UserError}.
 *
 * @example
 * ```ts
 * import { timestampOption } from "./command.ts";
 * timestampOption("--ts", "2026-10-03T09:05:09-05:00")?.toISOString(); // "2026-10-03T14:05:09.000Z"
 * ```
 */
export function timestampOption(flag: string, value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === "string" ? value : "";
  // the day is checked as written, before the offset: Date would roll 2026-02-30 over to March
  const date = RFC3339.test(text) && isCalendarDate(text.slice(0, 10))
    ? new Date(text.toUpperCase())
    : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new UserError(
      `${flag} ${
        JSON.stringify(value)
      }: expected a timestamp with its zone, like 2026-10-03T14:05:09Z`,
    );
  }
  return date;
}

/**
 * Checks a `YYYY-MM` month (or `previous`, resolved against `now` in UTC) and
 * returns it as `YYYY-MM`.
 *
 * @example
 * ```ts
 * import { parseMonth } from "./command.ts";
 * parseMonth("previous", "--month", new Date("2026-11-25T00:00:00Z")); // "2026-10"
 * ```
 */
export function parseMonth(value: string, flag = "--month", now?: Date): string {
  if (value === "previous") {
    if (!now) throw new UserError(`${flag} previous: not accepted here; give YYYY-MM`);
    const y = now.getUTCFullYear();
    const m = now.getUTCMonth(); // 0-based: the previous month's 1-based number
    return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, "0")}`;
  }
  if (!isMonth(value)) {
    throw new UserError(`${flag} ${JSON.stringify(value)}: expected a month like 2026-10`);
  }
  return value;
}

function optionLine(name: string, spec: OptionSpec & { default?: string }): string {
  const flag = `--${name}${spec.type === "string" ? ` ${spec.valueName ?? "VALUE"}` : ""}`;
  const short = spec.short ? `-${spec.short}, ` : "    ";
  const def = spec.default !== undefined ? ` (default: ${spec.default})` : "";
  return `  ${short}${flag.padEnd(30)} ${spec.description}${def}`;
}

/** The `--help` text of a command. */
export function helpText(command: Command): string {
  const lines = [
    `${command.summary}`,
    "",
    `Usage: deno task ${command.name}${command.usage ? ` ${command.usage}` : ""} [options]`,
  ];
  if (command.description) lines.push("", command.description.trim());
  const own = Object.entries(command.options ?? {});
  if (own.length > 0) {
    lines.push("", "Options:");
    for (const [name, spec] of own) lines.push(optionLine(name, spec));
  }
  lines.push("", "Common options:");
  for (const [name, spec] of Object.entries(COMMON)) lines.push(optionLine(name, spec));
  return lines.join("\n");
}

/**
 * Writes `--flag -1` as `--flag=-1` for string options, so that a negative
 * number reaches the option's own check (parseArgs would call it ambiguous).
 */
function joinNegativeValues(
  args: string[],
  options: Record<string, { type: "string" | "boolean" }>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return [...out, ...args.slice(i)];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : "";
    const next = args[i + 1];
    if (
      options[name]?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Parsed arguments, or `null` when `--help` was asked for. */
export function parseCommandArgs(
  command: Command,
  args: string[],
  now: Date,
): CommandContext | null {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (
    const [name, spec] of [...Object.entries(COMMON), ...Object.entries(command.options ?? {})]
  ) {
    options[name] = { type: spec.type };
    if (spec.short) options[name].short = spec.short;
    if (spec.multiple) options[name].multiple = true;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs's first line, without its own full stop (some end with one, some do not)
    const message = (error instanceof Error ? error.message.split("\n")[0] : String(error))
      .replace(/\.$/, "");
    throw new UserError(`${message}. See: deno task ${command.name} --help`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) return null;
  if (!command.positionals && parsed.positionals.length > 0) {
    throw new UserError(
      `unexpected argument ${
        JSON.stringify(parsed.positionals[0])
      }. See: deno task ${command.name} --help`,
    );
  }
  const given = new Set(Object.keys(COMMON).filter((name) => values[name] !== undefined));
  const str = (name: string) => (values[name] as string | undefined) ?? COMMON[name].default!;
  const engine = str("engine");
  if (engine !== "native" && engine !== "wasm") {
    throw new UserError(`--engine ${JSON.stringify(engine)}: expected native or wasm`);
  }
  const month = values.month as string | undefined;
  const common: CommonOptions = {
    store: str("store"),
    plans: str("plans"),
    tenants: str("tenants"),
    out: str("out"),
    month: month === undefined ? undefined : parseMonth(month, "--month", now),
    engine,
    given,
  };
  const own: Record<string, string | boolean | string[] | undefined> = {};
  for (const name of Object.keys(command.options ?? {})) own[name] = values[name];
  return { common, values: own, positionals: parsed.positionals, now };
}
