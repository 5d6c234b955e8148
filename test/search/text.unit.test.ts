import { describe, expect, it } from "vitest";
import { htmlToText, plainText } from "../../workers/search/src/html-text.ts";
import { jsonChunks } from "../../workers/search/src/json-chunks.ts";
import { MATCH_END, MATCH_START, snippetSegments } from "../../workers/search/src/snippet.ts";

describe("htmlToText", () => {
  it.each([
    ["<p>Hi John,</p><p>see <a href=\"https://x.test\">this</a></p>", "Hi John, see this"],
    ["a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x41; &nbsp;f", "a & b <c> \"d\" 'e' A f"],
    ["<!-- hidden <b>x</b> -->shown", "shown"],
    ["two<br/>lines\n\n  and\ttabs", "two lines and tabs"],
    ["&bogus; &#0; &#x110000;", "&bogus; &#0; &#x110000;"],
    ["control\u0002chars\u0003out &#2;", "control chars out"],
  ])("%j → %j", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it("plainText keeps angle brackets (a title is not HTML)", () => {
    expect(plainText(" a <b> title\n")).toBe("a <b> title");
  });
});

describe("snippetSegments", () => {
  it("splits FTS5's marked snippet into text and matches", () => {
    expect(snippetSegments(`…the ${MATCH_START}reset${MATCH_END} ${MATCH_START}mail${MATCH_END} never…`)).toEqual([
      { text: "…the ", match: false },
      { text: "reset", match: true },
      { text: " ", match: false },
      { text: "mail", match: true },
      { text: " never…", match: false },
    ]);
  });

  it("merges adjacent matches, and answers no segments for an empty snippet", () => {
    expect(snippetSegments(`${MATCH_START}a${MATCH_END}${MATCH_START}b${MATCH_END}`)).toEqual([{ text: "ab", match: true }]);
    expect(snippetSegments("")).toEqual([]);
  });
});

describe("jsonChunks", () => {
  it("cuts JSON arrays at a size, keeping order, an oversized item alone", () => {
    expect(jsonChunks([{ id: "a" }, { id: "b" }, { id: "c" }], 24)).toEqual(['[{"id":"a"},{"id":"b"}]', '[{"id":"c"}]']);
    expect(jsonChunks([{ id: "a".repeat(30) }, 1], 24)).toEqual([`[{"id":"${"a".repeat(30)}"}]`, "[1]"]);
    expect(jsonChunks([])).toEqual([]);
  });

  it("every chunk parses back to its items", () => {
    const items = Array.from({ length: 500 }, (_, n) => ({ id: String(n), body: "x".repeat(n) }));
    const chunks = jsonChunks(items, 10_000);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.every((chunk) => chunk.length <= 10_000)).toBe(true);
    expect(chunks.flatMap((chunk) => JSON.parse(chunk) as unknown[])).toEqual(items);
  });
});
