/**
 * `deno task bench [NAME...]`: runs every bench/*.ts script (or the named
 * ones) one after another, each in its own process, and prints their figures.
 *
 * @module
 */
const here = new URL(".", import.meta.url);
const only = new Set(Deno.args);
const names = [...Deno.readDirSync(here)]
  .map((entry) => entry.name)
  .filter((name) => name.endsWith(".ts") && name !== "run.ts" && !name.endsWith("_test.ts"))
  .filter((name) => only.size === 0 || only.has(name.replace(/\.ts$/, "")))
  .sort();
let failed = 0;
for (const name of names) {
  console.log(`\n== bench/${name} ==`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", new URL(name, here).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    failed++;
    console.log(`bench/${name} failed with exit code ${code}`);
  }
}
Deno.exit(failed === 0 ? 0 : 1);
