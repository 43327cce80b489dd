import puppeteer from "puppeteer-core";
const dir = await Deno.makeTempDir();
const t0 = performance.now();
const b = await puppeteer.launch({ executablePath: "/usr/bin/chromium", pipe: Deno.args[0] === "pipe", userDataDir: dir,
  args: ["--no-sandbox","--disable-gpu","--disable-quic","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run"] });
console.log("launch", performance.now() - t0);
const p = await b.newPage();
await p.setContent("<h1>Hello</h1>");
const t1 = performance.now();
const pdf = await p.pdf({ format: "A4" });
console.log("pdf", performance.now() - t1, pdf.length);
await Deno.writeFile("/tmp/ptest/a.pdf", pdf);
await b.close();
await Deno.remove(dir, { recursive: true });
