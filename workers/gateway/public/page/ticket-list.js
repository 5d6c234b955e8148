// The tickets, newest first, a page at a time ("Older tickets" follows x-next-cursor), each with
// its status and reply count, linking to its own view.
import { callApi, servedByText } from "./api.js";
import { byId, el, setStatus, timeElement } from "./dom.js";
import { ticketHref } from "./router.js";

const PAGE_SIZE = 10;

/** @param {any} ticket */
function ticketItem(ticket) {
  const replies = ticket.replyCount === 1 ? "1 reply" : `${ticket.replyCount} replies`;
  return el(
    "li",
    { class: "ticket", "data-ticket-id": ticket.id },
    el("a", { href: ticketHref(ticket.id), class: "ticket-title" }, ticket.title),
    el(
      "p",
      { class: "meta" },
      el("span", { class: `badge status-${String(ticket.status).toLowerCase()}` }, ticket.status),
      ` ${replies} · opened `,
      timeElement(ticket.createdAt),
      ticket.assignedTo ? ` · assigned to ${ticket.assignedTo}` : "",
    ),
  );
}

/** The list view's behaviour; `load()` shows the first page again. */
export function ticketList() {
  const list = byId("ticket-list");
  const status = byId("list-status");
  const more = /** @type {HTMLButtonElement} */ (byId("list-more"));
  /** @type {string | null} */
  let cursor = null;
  let loading = false;

  /** @param {boolean} first */
  async function loadPage(first) {
    if (loading) return;
    loading = true;
    setStatus(status, "Loading tickets…", "busy");
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (!first && cursor) query.set("cursor", cursor);
    const answer = await callApi(`/tickets?${query}`);
    loading = false;
    if (!answer.ok) {
      setStatus(status, `Could not load the tickets: ${answer.message}`, "error");
      return;
    }
    if (first) list.replaceChildren();
    list.append(...answer.data.map(ticketItem));
    cursor = answer.nextCursor;
    more.hidden = !cursor;
    const count = list.children.length;
    setStatus(status, `${count} ticket${count === 1 ? "" : "s"}${cursor ? " so far" : ""}, ${servedByText(answer)}.`, answer.fallbackFrom ? "busy" : "ok");
    status.dataset.servedBy = answer.servedBy ?? "";
  }

  byId("list-refresh").addEventListener("click", () => void loadPage(true));
  more.addEventListener("click", () => void loadPage(false));
  return { load: () => loadPage(true) };
}
