import assert from "node:assert/strict";
import { canonicalJson, derivedEventId } from "./derived_id.ts";

Deno.test("derivedEventId: equal inputs (in any key order) give one UUID, any change another", async () => {
  const a = await derivedEventId({ tenant: "dept_a", job: { n_ens: 200, seed: 1 }, obs: [1, 2] });
  const b = await derivedEventId({
    obs: new Float64Array([1, 2]),
    job: { seed: 1, n_ens: 200 },
    tenant: "dept_a",
  });
  assert.equal(a, b);
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (
    const changed of [
      { tenant: "dept_b", job: { n_ens: 200, seed: 1 }, obs: [1, 2] },
      { tenant: "dept_a", job: { n_ens: 201, seed: 1 }, obs: [1, 2] },
      { tenant: "dept_a", job: { n_ens: 200, seed: 1 }, obs: [1, 3] },
      { tenant: "dept_a", job: { n_ens: 200, seed: "1" }, obs: [1, 2] },
    ]
  ) {
    assert.notEqual(await derivedEventId(changed), a, JSON.stringify(changed));
  }
  assert.equal(canonicalJson({ b: 1, a: { d: undefined, c: 2 } }), '{"a":{"c":2},"b":1}');
});
