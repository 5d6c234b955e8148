// The new-ticket form: one POST /tickets under an Idempotency-Key, then a link to the ticket and
// which version stored it.
import { servedByText } from "./api.js";
import { byId, el, setStatus } from "./dom.js";
import { idempotentWriter } from "./idempotent-write.js";
import { ticketHref } from "./router.js";

/** @param {() => void} onCreated called after a ticket was stored, e.g. to reload the list */
export function newTicketForm(onCreated) {
  const form = /** @type {HTMLFormElement} */ (byId("new-ticket-form"));
  const result = byId("new-result");
  const send = idempotentWriter();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    /** @type {Record<string, string>} */
    const body = {};
    for (const name of ["title", "description", "assignedTo", "userInitials", "status"]) {
      const value = String(data.get(name) ?? "");
      if (value !== "") body[name] = value;
    }
    setStatus(result, "Creating…", "busy");
    const answer = await send("/tickets", body);
    if (!answer.ok) {
      setStatus(result, `Not created: ${answer.message}`, "error");
      return;
    }
    form.reset();
    result.replaceChildren("Created ", el("a", { href: ticketHref(answer.data.id) }, answer.data.title), `, ${servedByText(answer)}.`);
    result.dataset.kind = "ok";
    result.dataset.servedBy = answer.servedBy ?? "";
    onCreated();
  });
}
