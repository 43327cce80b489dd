import assert from "node:assert/strict";
import { openWarehouse } from "./warehouse.ts";

const WRITER = new URL("./warehouse.ts", import.meta.url).href;

/** A child process that appends `batches` batches of `size` events of one month, id prefix `p`. */
function writer(store: string, p: string, batches: number, size: number) {
  const code = `
    const { openWarehouse } = await import(${JSON.stringify(WRITER)});
    const wh = await openWarehouse({ store: ${JSON.stringify(store)} });
    for (let b = 0; b < ${batches}; b++) {
      const events = [];
      for (let i = 0; i < ${size}; i++) {
        const n = b * ${size} + i;
        events.push({ id: "${p}-" + n, ts: new Date(Date.UTC(2026, 9, 1 + (n % 28), 12)).toISOString(),
          tenant_id: "${p}", event_type: "api_call", compute_units: 0.001 });
      }
      await wh.append(events);
    }
    await wh.close();`;
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "null",
    stderr: "piped",
  }).output();
}

Deno.test("two processes appending to one month at once lose no event (the store's write lock)", async () => {
  const store = await Deno.makeTempDir();
  try {
    const [a, b] = await Promise.all([writer(store, "a", 10, 30), writer(store, "b", 10, 30)]);
    assert.equal(a.code, 0, new TextDecoder().decode(a.stderr));
    assert.equal(b.code, 0, new TextDecoder().decode(b.stderr));
    const wh = await openWarehouse({ store });
    try {
      const rows = await wh.usage("2026-10");
      const events = Object.fromEntries(rows.map((r) => [r.tenant_id, r.events]));
      assert.deepEqual(events, { a: 300, b: 300 });
    } finally {
      await wh.close();
    }
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
