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
  // many distinct keys (past the remembered set's size) never mix up tenants or admit a bad key
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
