// One search hit: what it is (a ticket or a reply), its ticket's title linking to the ticket, and
// the snippet around the matches. The snippet comes as plain-text segments, each flagged as a match
// or not, and is built from elements and text alone: a match is a <mark> whose textContent is the
// segment, so whatever characters a reply holds (the index decodes &lt; to <) show as characters.
import { el } from "./dom.js";
import { ticketHref } from "./router.js";

/**
 * The snippet's segments as text nodes and <mark> elements.
 * @param {{ text: string, match: boolean }[]} segments
 * @returns {HTMLElement}
 */
export function snippetElement(segments) {
  const snippet = document.createElement("p");
  snippet.className = "text snippet";
  for (const segment of segments) {
    if (segment.match) {
      const mark = document.createElement("mark");
      mark.textContent = segment.text;
      snippet.append(mark);
    } else {
      snippet.append(document.createTextNode(segment.text));
    }
  }
  return snippet;
}

/** @param {any} hit */
export function hitItem(hit) {
  const reply = hit.kind === "reply";
  return el(
    "li",
    { class: "hit", "data-kind": hit.kind, "data-ticket-id": hit.ticketId, "data-reply-id": reply ? hit.replyId : undefined },
    el(
      "p",
      { class: "hit-head" },
      el("span", { class: `badge kind-${reply ? "reply" : "ticket"}` }, reply ? "Reply" : "Ticket"),
      reply ? " on " : " ",
      el("a", { href: ticketHref(hit.ticketId), class: "ticket-title" }, hit.title),
    ),
    hit.snippet.length > 0 ? snippetElement(hit.snippet) : null,
  );
}
