/**
 * Reads a table of a rendered report back as text cells, for tests that
 * check what finance sees rather than the objects behind it.
 *
 * @module
 */

function text(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").trim();
}

/**
 * The rows (header row first) of the first table after the heading whose
 * text is `heading` (an `<h2>` or `<h3>`), each row its cells' text.
 */
export function htmlTable(html: string, heading: string): string[][] {
  const at = html.search(
    new RegExp(`<h[23]>${heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</h[23]>`),
  );
  if (at < 0) throw new Error(`no heading ${JSON.stringify(heading)} in the report`);
  const start = html.indexOf("<table>", at);
  const end = html.indexOf("</table>", start);
  const table = html.slice(start, end);
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1]))
  );
}

/** The notes (`<p class="muted small">`) after the table under `heading`, up to the next heading. */
export function htmlNotes(html: string, heading: string): string[] {
  const at = html.search(
    new RegExp(`<h[23]>${heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</h[23]>`),
  );
  const start = html.indexOf("</table>", at);
  const next = html.slice(start).search(/<h[23]>|<\/section>/);
  const part = html.slice(start, next < 0 ? undefined : start + next);
  return [...part.matchAll(/<p class="muted small">([\s\S]*?)<\/p>/g)].map((m) => text(m[1]));
}
