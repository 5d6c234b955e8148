// One ticket: its details, all its replies a page at a time (oldest first, "More replies" follows
// x-next-cursor), and the reply form. A reply's message is shown as text, whatever HTML it holds.
import { callApi, servedByText } from "./api.js";
import { byId, el, setStatus, timeElement } from "./dom.js";
import { idempotentWriter } from "./idempotent-write.js";

const PAGE_SIZE = 20;

/** @param {any} reply */
export function replyItem(reply) {
  return el(
    "li",
    { class: "reply", "data-reply-id": reply.id },
    el("p", { class: "meta" }, el("strong", {}, reply.user), " · ", timeElement(reply.createdAt)),
    el("p", { class: "text" }, reply.message),
  );
}

/** The ticket view's behaviour; `show(id)` loads a ticket. */
export function ticketView() {
  const heading = byId("ticket-heading");
  const meta = byId("ticket-meta");
  const description = byId("ticket-description");
  const status = byId("ticket-status");
  const list = byId("reply-list");
  const more = /** @type {HTMLButtonElement} */ (byId("replies-more"));
  const form = /** @type {HTMLFormElement} */ (byId("reply-form"));
  const result = byId("reply-result");
  const send = idempotentWriter();
  /** @type {string | null} */
  let ticketId = null;
  /** @type {string | null} */
  let cursor = null;
  let replyCount = 0;

  const showCount = () => (byId("replies-heading").textContent = `Replies (${replyCount})`);

  /** Adds `reply` unless it is there already, or belongs further on than the pages loaded so far. */
  function addReply(/** @type {any} */ reply) {
    if (reply.ticketId !== ticketId || cursor || list.querySelector(`[data-reply-id="${CSS.escape(reply.id)}"]`)) return;
    list.append(replyItem(reply));
    replyCount += 1;
    showCount();
  }

  async function loadReplies(/** @type {string} */ id, /** @type {boolean} */ first) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (!first && cursor) query.set("cursor", cursor);
    const answer = await callApi(`/tickets/${encodeURIComponent(id)}/replies?${query}`);
    if (id !== ticketId) return; // another ticket was opened meanwhile
    if (!answer.ok) {
      setStatus(status, `Could not load the replies: ${answer.message}`, "error");
      return;
    }
    if (first) list.replaceChildren();
    for (const reply of answer.data) if (!list.querySelector(`[data-reply-id="${CSS.escape(reply.id)}"]`)) list.append(replyItem(reply));
    cursor = answer.nextCursor;
    more.hidden = !cursor;
  }

  async function show(/** @type {string} */ id) {
    ticketId = id;
    cursor = null;
    heading.textContent = "Loading ticket…";
    meta.replaceChildren();
    description.textContent = "";
    list.replaceChildren();
    more.hidden = true;
    setStatus(result, "");
    setStatus(status, "Loading…", "busy");
    const answer = await callApi(`/tickets/${encodeURIComponent(id)}`);
    if (id !== ticketId) return;
    if (!answer.ok) {
      heading.textContent = answer.status === 404 ? "No such ticket" : "Could not load the ticket";
      setStatus(status, answer.message, "error");
      return;
    }
    const ticket = answer.data;
    heading.textContent = ticket.title;
    meta.replaceChildren(
      el("span", { class: `badge status-${String(ticket.status).toLowerCase()}` }, ticket.status),
      " opened ",
      timeElement(ticket.createdAt),
      ticket.userInitials ? ` by ${ticket.userInitials}` : "",
      ticket.assignedTo ? ` · assigned to ${ticket.assignedTo}` : "",
    );
    description.textContent = ticket.description;
    replyCount = ticket.replyCount;
    showCount();
    setStatus(status, `Ticket ${servedByText(answer)}.`, answer.fallbackFrom ? "busy" : "ok");
    await loadReplies(id, true);
  }

  more.addEventListener("click", () => ticketId && void loadReplies(ticketId, false));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!ticketId || !form.reportValidity()) return;
    const data = new FormData(form);
    const body = { user: String(data.get("user") ?? ""), message: String(data.get("message") ?? "") };
    setStatus(result, "Posting…", "busy");
    const answer = await send(`/tickets/${encodeURIComponent(ticketId)}/replies`, body);
    if (!answer.ok) {
      setStatus(result, `Not posted: ${answer.message}`, "error");
      return;
    }
    addReply(answer.data);
    /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("message")).value = "";
    setStatus(result, `Reply posted${answer.replayed ? " (already stored: the same key's first answer)" : ""}, ${servedByText(answer)}.`, "ok");
    result.dataset.servedBy = answer.servedBy ?? "";
    result.dataset.fallbackFrom = answer.fallbackFrom ?? "";
  });

  return { show, addReply };
}
