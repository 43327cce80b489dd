import assert from "node:assert/strict";
import { MAX_METER_EVENT_IDENTIFIER_LENGTH, meterEventIdentifier } from "./identifier.ts";

Deno.test("identifier is deterministic from month, tenant, meter and revision", () => {
  const parts = { month: "2026-10", tenant_id: "dept_a", meter: "compute_units", revision: 1 };
  assert.equal(meterEventIdentifier(parts), "mb-2026-10-dept_a-compute_units-r1");
  assert.equal(
    meterEventIdentifier({ ...parts, revision: 12 }),
    "mb-2026-10-dept_a-compute_units-r12",
  );
});

Deno.test("identifier stays within Stripe's 100 characters, still unique and deterministic", () => {
  const long = {
    month: "2026-10",
    tenant_id: "t".repeat(64),
    meter: "m".repeat(60),
    revision: 3,
  };
  const a = meterEventIdentifier(long);
  assert.ok(a.length <= MAX_METER_EVENT_IDENTIFIER_LENGTH, `${a.length}`);
  assert.match(a, /^mb-2026-10-t{64}-m{4}~[0-9a-f]{16}-r3$/);
  assert.equal(meterEventIdentifier(long), a);
  assert.notEqual(meterEventIdentifier({ ...long, meter: "m".repeat(59) + "n" }), a);
});

Deno.test("identifier refuses a revision below 1", () => {
  assert.throws(() =>
    meterEventIdentifier({ month: "2026-10", tenant_id: "a", meter: "m", revision: 0 })
  );
});

Deno.test("identifier: tenant and meter names with '-' cannot collide", () => {
  const a = { month: "2026-10", tenant_id: "acme-eu", meter: "compute", revision: 1 };
  const b = { month: "2026-10", tenant_id: "acme", meter: "eu-compute", revision: 1 };
  assert.notEqual(meterEventIdentifier(a), meterEventIdentifier(b));
  assert.match(meterEventIdentifier(a), /^mb-2026-10-acme-eu-compute~[0-9a-f]{16}-r1$/);
  assert.equal(meterEventIdentifier(a), meterEventIdentifier({ ...a }));
});
