import assert from "node:assert/strict";
import { requires } from "../../test/support/requires.ts";
import { Browser, BrowserNotFoundError, findChromium, fixPdfDates, pageFooter } from "./mod.ts";

async function pdfText(pdf: Uint8Array): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a.pdf`, pdf);
    const out = await new Deno.Command("pdftotext", { args: ["-layout", `${dir}/a.pdf`, "-"] })
      .output();
    return new TextDecoder().decode(out.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("findChromium honours PUPPETEER_EXECUTABLE_PATH, PATH and reports none", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fake = `${dir}/google-chrome`;
    await Deno.writeTextFile(fake, "#!/bin/sh\n");
    assert.equal(findChromium({ PUPPETEER_EXECUTABLE_PATH: fake }), fake);
    assert.equal(findChromium({ PUPPETEER_EXECUTABLE_PATH: `${dir}/missing` }), null);
    const found = findChromium({ PATH: dir });
    // /usr/bin/chromium wins when installed; otherwise PATH is searched.
    assert.ok(
      found === fake || found === "/usr/bin/chromium" || found?.endsWith("chromium-browser"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Browser.launch without a browser throws BrowserNotFoundError with the fix", async () => {
  const error = await Browser.launch({ env: { PUPPETEER_EXECUTABLE_PATH: "/nonexistent/chrome" } })
    .then(() => null, (e) => e);
  assert.ok(error instanceof BrowserNotFoundError);
  assert.match(error.message, /PUPPETEER_EXECUTABLE_PATH/);
  assert.equal(error.exitCode, 2);
});

Deno.test("fixPdfDates rewrites the dates at the same length", () => {
  const src = new TextEncoder().encode(
    "%PDF\n/CreationDate (D:20261125044950+00'00')\n/ModDate (D:20261125044950+00'00')>>\xff",
  );
  const out = fixPdfDates(src, new Date(Date.UTC(2026, 10, 1)));
  assert.equal(out.length, src.length);
  const text = new TextDecoder().decode(out);
  assert.match(text, /CreationDate \(D:20261101000000\+00'00'\)/);
  assert.match(text, /ModDate \(D:20261101000000\+00'00'\)/);
});

Deno.test("pageFooter escapes its text", () => {
  assert.match(pageFooter("<b>&"), /&lt;b&gt;&amp;/);
  assert.match(pageFooter(), /pageNumber.*totalPages/);
});

Deno.test({
  name: "Browser renders PDFs (page numbers, reproducible) and PNGs, in parallel",
  ...requires("chromium", "pdftotext"),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const browser = await Browser.launch({ pages: 3 });
    try {
      const html = (i: number) =>
        `<!doctype html><html><head><meta charset="utf-8"></head><body>` +
        `<h1>Invoice ${i}</h1><img src="http://127.0.0.1:9/tracker.png">` +
        `<div style="height: 400mm">tall</div><p>end</p></body></html>`;
      const pdfs = await Promise.all([0, 1, 2, 3, 4].map((i) => browser.pdf(html(i))));
      const text = await pdfText(pdfs[2]);
      assert.match(text, /Invoice 2/);
      assert.match(text, /Page 1 of 2/);
      assert.match(text, /Page 2 of 2/);
      const again = await browser.pdf(html(2));
      assert.deepEqual(again, pdfs[2]);
      assert.ok(!new TextDecoder("latin1").decode(pdfs[0]).includes("D:2026"));

      const png = await browser.png(
        `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="red"/></svg>`,
        { width: 40, height: 20, scale: 2 },
      );
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
      const view = new DataView(png.buffer, png.byteOffset);
      assert.equal(view.getUint32(16), 80); // width * scale
      assert.equal(view.getUint32(20), 40);
    } finally {
      await browser.close();
    }
    await assert.rejects(browser.pdf("<p>x</p>"), /already closed/);
  },
});
