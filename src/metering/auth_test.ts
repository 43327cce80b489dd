import assert from "node:assert/strict";
import { ApiKeyAuth, hashApiKey, loadApiKeyAuth, parseApiKeysEnv } from "./auth.ts";
import { UserError } from "../errors.ts";

Deno.test("auth: bearer keys resolve to their tenant, anything else to null", () => {
  const auth = new ApiKeyAuth([
    { tenant_id: "dept_a", sha256: hashApiKey("key-a") },
    { tenant_id: "dept_b", sha256: hashApiKey("key-b").toUpperCase() },
  ]);
  assert.equal(auth.authenticate("Bearer key-a"), "dept_a");
  assert.equal(auth.authenticate("bearer key-b"), "dept_b");
  for (const bad of [null, undefined, "", "Bearer ", "Bearer key-c", "Basic a2V5LWE=", "key-a"]) {
    assert.equal(auth.authenticate(bad), null, String(bad));
  }
});

Deno.test("auth: a remembered key still resolves to its own tenant; refused keys stay refused", () => {
  const auth = new ApiKeyAuth([
    { tenant_id: "dept_a", sha256: hashApiKey("key-a") },
    { tenant_id: "dept_b", sha256: hashApiKey("key-b") },
  ]);
  // many distinct refused keys (never remembered: only accepted keys are) never mix up tenants
  // or admit a bad key
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 5000; i++) {
      assert.equal(auth.authenticate(`Bearer wrong-${i}`), null);
      if (i % 997 === 0) {
        assert.equal(auth.authenticate("Bearer key-a"), "dept_a");
        assert.equal(auth.authenticate("Bearer key-b"), "dept_b");
      }
    }
  }
  assert.equal(auth.authenticate("Bearer key-a "), "dept_a"); // trimmed like the first time
  assert.equal(auth.authenticate("Bearer key-a-x"), null);
});

Deno.test("auth: the demo key hash documented for data/tenants.json", () => {
  assert.equal(
    hashApiKey("mb_demo_dept_a"),
    "e328f4de80a1d6e1dadf83af5106b25f65f29b71382f4e6ac1333e050b1916c5",
  );
});

Deno.test("auth: METERBOOK_API_KEYS and tenants-file keys, several keys per tenant", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tenants.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        tenants: {
          dept_a: { id: "dept_a", api_key_sha256: hashApiKey("old-a") },
          dept_c: { id: "dept_c" },
        },
      }),
    );
    const auth = await loadApiKeyAuth({
      tenants: path,
      env: { METERBOOK_API_KEYS: `dept_a:${hashApiKey("new-a")}, dept_b:${hashApiKey("b")}` },
    });
    assert.equal(auth.size, 3);
    assert.equal(auth.authenticate("Bearer old-a"), "dept_a");
    assert.equal(auth.authenticate("Bearer new-a"), "dept_a");
    assert.equal(auth.authenticate("Bearer b"), "dept_b");
    const none = await loadApiKeyAuth({ tenants: `${dir}/missing.json`, env: {} });
    assert.equal(none.size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("auth: malformed entries are user errors that say how to fix them", () => {
  assert.throws(() => parseApiKeysEnv("dept_a"), UserError);
  assert.throws(
    () => new ApiKeyAuth([{ tenant_id: "dept_a", sha256: "abc" }]),
    (e: Error) => e instanceof UserError && /64 hex digits/.test(e.message),
  );
});

Deno.test("auth: past its size the remembered set starts again, and every key still resolves to its own tenant", () => {
  const keys = ["key-a", "key-b", "key-c", "key-d", "key-e"];
  const auth = new ApiKeyAuth(
    keys.map((key, i) => ({ tenant_id: `dept_${i}`, sha256: hashApiKey(key) })),
    { rememberAccepted: 2 },
  );
  const seen: number[] = [];
  for (let round = 0; round < 3; round++) {
    keys.forEach((key, i) => {
      assert.equal(auth.authenticate(`Bearer ${key}`), `dept_${i}`, `${key}, round ${round}`);
      seen.push(auth.remembered);
      assert.equal(auth.authenticate("Bearer wrong"), null);
    });
  }
  // 1, 2, then cleared at the third accepted key: 1, 2, 1, ... (refused keys add nothing)
  assert.deepEqual(seen.slice(0, 6), [1, 2, 1, 2, 1, 2]);
  assert.ok(seen.every((n) => n >= 1 && n <= 2), JSON.stringify(seen));
  // a remembered key is answered from the set, and still as its own tenant
  assert.equal(auth.authenticate("Bearer key-a"), "dept_0");
  const none = new ApiKeyAuth([{ tenant_id: "dept_a", sha256: hashApiKey("key-a") }], {
    rememberAccepted: 0,
  });
  assert.equal(none.authenticate("Bearer key-a"), "dept_a");
  assert.equal(none.remembered, 0);
  assert.throws(() => new ApiKeyAuth([], { rememberAccepted: -1 }), UserError);
});

Deno.test("auth: with the default size, more than 4096 accepted keys clear the remembered set once", () => {
  const entries = Array.from({ length: 4100 }, (_, i) => ({
    tenant_id: `t${i}`,
    sha256: hashApiKey(`key-${i}`),
  }));
  const auth = new ApiKeyAuth(entries);
  for (let i = 0; i < 4096; i++) assert.equal(auth.authenticate(`Bearer key-${i}`), `t${i}`);
  assert.equal(auth.remembered, 4096);
  assert.equal(auth.authenticate("Bearer key-4096"), "t4096");
  assert.equal(auth.remembered, 1, "cleared, then the new key");
  assert.equal(auth.authenticate("Bearer key-0"), "t0");
});

Deno.test("auth: accepted keys are remembered by their plain header only; other spellings are answered but not kept", () => {
  const auth = new ApiKeyAuth([
    { tenant_id: "dept_a", sha256: hashApiKey("key-a") },
    { tenant_id: "dept_b", sha256: hashApiKey("key-b") },
  ]);
  assert.equal(auth.authenticate("Bearer key-a"), "dept_a");
  assert.equal(auth.remembered, 1);
  assert.equal(auth.authenticate("Bearer key-a"), "dept_a"); // the same header: no new entry
  assert.equal(auth.remembered, 1);
  assert.equal(auth.authenticate("bearer key-a"), "dept_a"); // the other plain spelling
  assert.equal(auth.remembered, 2);
  // padded, tabbed or oddly cased spellings of a valid key: accepted, hashed each time, not kept,
  // so one client cannot evict the other tenants' entries by sending thousands of them
  const spellings = [
    `Bearer ${" ".repeat(4096)}key-b`,
    "Bearer key-b ",
    "Bearer \tkey-b",
    "BEARER key-b",
    "BeArEr key-b",
  ];
  for (let i = 0; i < 5000; i++) {
    assert.equal(auth.authenticate(spellings[i % spellings.length] + " ".repeat(i % 7)), "dept_b");
  }
  assert.equal(auth.remembered, 2);
  assert.equal(auth.authenticate("Bearer key-a"), "dept_a");
  // refused headers stay refused, whatever was remembered
  for (
    const bad of ["Basic key-a", "Bearer\tkey-a", "Bearerkey-a", "Bearer key-", "Bearer key-a-x"]
  ) {
    assert.equal(auth.authenticate(bad), null, bad);
  }
});
