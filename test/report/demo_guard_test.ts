import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../../src/errors.ts";
import { runReport } from "../../src/reports/mod.ts";

const DATA = new URL("../../data/", import.meta.url).pathname;

async function outWithReport(demo: boolean): Promise<string> {
  const out = await Deno.makeTempDir();
  await Deno.mkdir(join(out, "2026-10"));
  await Deno.writeTextFile(
    join(out, "2026-10", "manifest.json"),
    JSON.stringify({ month: "2026-10", demo }),
  );
  await Deno.writeTextFile(join(out, "2026-10", "invoices.json"), "{}");
  return out;
}

Deno.test("a demo run never replaces a report made from real events", async () => {
  const out = await outWithReport(false);
  try {
    await assert.rejects(
      runReport({
        store: join(out, "no-such-store"),
        storeGiven: false,
        plans: join(DATA, "plans.json"),
        tenants: join(DATA, "tenants.json"),
        out,
        month: "2026-10",
        formats: ["html"],
        now: new Date("2026-11-25T00:00:00Z"),
        log: () => {},
      }),
      (error: unknown) =>
        error instanceof UserError &&
        /Refusing to replace .*2026-10.* with demo data: there is no event store/.test(
          error.message,
        ),
    );
    // the real report is untouched
    assert.equal(await Deno.readTextFile(join(out, "2026-10", "invoices.json")), "{}");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a real report an interrupted run left moved aside is restored, then guarded from demo data", async () => {
  const out = await outWithReport(false);
  try {
    // The state a crash mid-swap leaves: the report folder moved aside, nothing in its place.
    await Deno.rename(join(out, "2026-10"), join(out, ".2026-10.old-1a2b3c4d"));
    await assert.rejects(
      runReport({
        store: join(out, "no-such-store"),
        storeGiven: false,
        plans: join(DATA, "plans.json"),
        tenants: join(DATA, "tenants.json"),
        out,
        month: "2026-10",
        formats: ["html"],
        now: new Date("2026-11-25T00:00:00Z"),
        log: () => {},
      }),
      (error: unknown) => error instanceof UserError && /Refusing to replace/.test(error.message),
    );
    assert.equal(await Deno.readTextFile(join(out, "2026-10", "invoices.json")), "{}");
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), ["2026-10"]);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
