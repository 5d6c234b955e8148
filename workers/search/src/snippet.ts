/** Marks the start and end of a match in FTS5's snippet(): control characters the index never holds (see plainText). */
export const MATCH_START = "\u0002";
export const MATCH_END = "\u0003";

/** A run of a snippet: matched text or the text around it, for a page to render with `textContent`. */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

/**
 * A snippet marked by FTS5 as segments, so no HTML comes out of the index and none needs
 * sanitising: each segment is plain text, flagged when it is a match.
 *
 * @example
 * ```ts
 * snippetSegments("reset the \u0002password\u0003 …");
 * // [{ text: "reset the ", match: false }, { text: "password", match: true }, { text: " …", match: false }]
 * ```
 */
export function snippetSegments(marked: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const push = (text: string, match: boolean) => {
    if (text === "") return;
    const previous = segments.at(-1);
    if (previous && previous.match === match) previous.text += text;
    else segments.push({ text, match });
  };
  for (const [n, part] of marked.split(MATCH_START).entries()) {
    if (n === 0) {
      push(part.replaceAll(MATCH_END, ""), false);
      continue;
    }
    const end = part.indexOf(MATCH_END);
    if (end === -1) push(part, true);
    else {
      push(part.slice(0, end), true);
      push(part.slice(end + MATCH_END.length).replaceAll(MATCH_END, ""), false);
    }
  }
  return segments;
}
