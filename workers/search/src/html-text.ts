/** The entities reply messages use, decoded so that `&amp;` is searched as `&`. */
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * The text of an HTML fragment, for indexing: tags become spaces (so `</p><p>` does not glue two
 * words together), common and numeric entities are decoded, control characters (the snippet
 * markers among them) and runs of whitespace become one space. A regular expression is enough
 * because the result is never rendered as HTML: search answers carry text for `textContent`.
 *
 * @example
 * ```ts
 * htmlToText("<p>Hi John,</p><p>see <a href=\"https://x.test\">this</a> &amp; that</p>"); // "Hi John, see this & that"
 * ```
 */
export function htmlToText(html: string): string {
  return plainText(
    html
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(/<[^>]*>/g, " ")
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => decodeEntity(name) ?? entity),
  );
}

/**
 * Text as indexed: control characters (the snippet markers among them) and runs of whitespace
 * become one space, and the ends are trimmed.
 *
 * @example
 * ```ts
 * plainText("  two\n\nlines \u0002 "); // "two lines"
 * ```
 */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
}

function decodeEntity(name: string): string | undefined {
  if (name.startsWith("#")) {
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return ENTITIES[name.toLowerCase()];
}
