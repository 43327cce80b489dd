/**
 * Reading a month's approved invoices (`<out>/<month>/invoices.json`, written
 * by `deno task invoice` or `deno task report`): the only source of the
 * quantities the push sends. The file is validated (only the fields the push
 * reads); every problem is a one-line {@linkcode UserError} naming the path.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { z } from "zod";
import { errorMessage, UserError } from "../errors.ts";
import { sha256Hex } from "../hash.ts";
import { describeIssues } from "../pricing/load.ts";
import { isTimeZone } from "../events/month_range.ts";
import { MONTH_PATTERN } from "../events/month.ts";

const DECIMAL = /^\d+(\.\d+)?$/;

const stripeMeterSchema = z.object({
  event_name: z.string({ error: "must be text" }).min(1, "must not be empty"),
  measure: z.enum(["compute_units", "events"], {
    error: 'must be "compute_units" or "events"',
  }),
  quantity: z.string({ error: "must be a decimal string" }).regex(
    DECIMAL,
    'must be a non-negative decimal string like "12.5"',
  ),
});

const invoiceFileSchema = z.object({
  month: z.string({ error: "must be a month like 2026-10" }).regex(
    MONTH_PATTERN,
    "must be a month like 2026-10",
  ),
  // Markers `deno task invoice` and `deno task report` write (absent when false).
  provisional: z.boolean({ error: "must be true or false" }).optional(),
  demo: z.boolean({ error: "must be true or false" }).optional(),
  invoices: z.array(
    z.object({
      tenant_id: z.string({ error: "must be text" }).min(1, "must not be empty"),
      lines: z.array(z.object({ stripe_meter: stripeMeterSchema.optional() })),
    }),
    { error: "must be a list of invoices" },
  ),
  summary: z.array(
    z.object({
      tenant_id: z.string({ error: "must be text" }),
      time_zone: z.string({ error: "must be an IANA time zone or UTC" }).refine(
        isTimeZone,
        'must be an IANA time zone like "America/Chicago", or "UTC"',
      ),
    }),
    { error: "must be the list of invoice summary rows" },
  ),
});

/** What the push reads of an `invoices.json` (a subset of `InvoiceRun`). */
export type ApprovedInvoices = z.output<typeof invoiceFileSchema>;

/** Where `deno task invoice` and `deno task report` write a month's invoices. */
export function defaultInvoicesPath(out: string, month: string): string {
  return join(out, month, "invoices.json");
}

/**
 * Reads and validates a month's `invoices.json`. Refuses (one line each) a
 * missing file (run `deno task invoice --month M` first), a file that is not
 * JSON or not an invoice run, a file of another month, a tenant invoiced
 * twice, a provisional file (`"provisional": true`: written before the month
 * ended), and demo data: a file marked `"demo": true` (wherever it was copied
 * to), or one a demo report wrote (its `manifest.json` says `demo: true` and
 * lists this very file).
 *
 * @example
 * ```ts
 * import { readApprovedInvoices } from "./invoice_file.ts";
 * // const approved = await readApprovedInvoices("reports/2026-10/invoices.json", { month: "2026-10" });
 * // approved.invoices[0].lines[1].stripe_meter; // { event_name, measure, quantity }
 * ```
 */
export async function readApprovedInvoices(
  path: string,
  options: { month: string },
): Promise<ApprovedInvoices> {
  const { month } = options;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(
        `No invoices for ${month} at ${path}: run \`deno task invoice --month ${month}\` ` +
          `(or \`deno task report --month ${month}\`) first, or give the file with --invoices FILE`,
      );
    }
    throw new UserError(
      `Cannot read ${path}: ${errorMessage(error)}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(
      `${path}: not valid JSON (${reason}); write it again with \`deno task invoice --month ${month}\``,
    );
  }
  const parsed = invoiceFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw new UserError(
      `${path}: not an invoices file of \`deno task invoice\`: ${describeIssues(parsed.error)}`,
    );
  }
  const run = parsed.data;
  if (run.month !== month) {
    throw new UserError(
      `${path} holds the invoices of ${run.month}, not ${month}: give ${month}'s file with ` +
        `--invoices FILE, or run \`deno task invoice --month ${month}\``,
    );
  }
  const seen = new Set<string>();
  for (const invoice of run.invoices) {
    if (seen.has(invoice.tenant_id)) {
      throw new UserError(
        `${path}: tenant ${JSON.stringify(invoice.tenant_id)} has two invoices; ` +
          `write the file again with \`deno task invoice --month ${month}\``,
      );
    }
    seen.add(invoice.tenant_id);
  }
  if (run.demo === true) {
    throw new UserError(
      `${path} holds invoices of demo data (it says "demo": true): its usage is synthetic and ` +
        `never billable; run \`deno task invoice --month ${month}\` on the real store first`,
    );
  }
  if (run.provisional === true) {
    throw new UserError(
      `${path} was written before the month ended ("provisional": true): run ` +
        `\`deno task invoice --month ${month}\` again`,
    );
  }
  await refuseDemo(path, bytes, month);
  return run;
}

/** A report made from demo data writes a manifest saying so; its invoices are never billable. */
async function refuseDemo(path: string, bytes: Uint8Array, month: string): Promise<void> {
  const manifestPath = join(dirname(path), "manifest.json");
  let manifest: { demo?: unknown; outputs?: Array<{ path?: unknown; sha256?: unknown }> };
  try {
    manifest = JSON.parse(await Deno.readTextFile(manifestPath));
  } catch {
    return; // no manifest (written by `deno task invoice`) or not one of ours
  }
  if (manifest?.demo !== true || !Array.isArray(manifest.outputs)) return;
  const entry = manifest.outputs.find((o) => o?.path === "invoices.json");
  // The manifest describes this file only if the bytes are the ones it lists: `deno task
  // invoice` may have rewritten invoices.json since.
  if (!entry || entry.sha256 !== await sha256Hex(bytes)) return;
  throw new UserError(
    `${path} comes from a demo report (${manifestPath} says demo: true): its usage is ` +
      `synthetic and never billable; run \`deno task invoice --month ${month}\` on the real store first`,
  );
}
