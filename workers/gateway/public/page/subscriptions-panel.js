// Webhook subscriptions: list, add, delete, and each one's recent deliveries. The management token
// is typed into the page and kept in sessionStorage only: it goes when the tab closes, is never
// in a URL, a cookie or localStorage, and is sent only as the Authorization header of these calls.
import { callApi } from "./api.js";
import { byId, el, setStatus, timeElement } from "./dom.js";
import { idempotentWriter } from "./idempotent-write.js";

const TOKEN_KEY = "subscriptionsToken";
const DELIVERIES_SHOWN = 10;

const readToken = () => sessionStorage.getItem(TOKEN_KEY) ?? "";

/** @param {any} line one line of the delivery log */
function deliveryItem(line) {
  const outcome = line.attempt === 0 ? "queued" : line.statusCode !== null ? `HTTP ${line.statusCode}` : (line.error ?? "no answer");
  return el(
    "li",
    { "data-delivery-status": line.status },
    `${line.status} · attempt ${line.attempt} · ${outcome}`,
    line.durationMs !== null ? ` · ${line.durationMs} ms` : "",
    " · ",
    timeElement(line.createdAt),
    line.nextAttemptAt ? el("span", {}, " · next try ", timeElement(line.nextAttemptAt)) : null,
  );
}

export function subscriptionsPanel() {
  const tokenForm = /** @type {HTMLFormElement} */ (byId("token-form"));
  const tokenInput = /** @type {HTMLInputElement} */ (byId("token-input"));
  const status = byId("subscriptions-status");
  const panel = byId("subscriptions-body");
  const list = byId("subscription-list");
  const form = /** @type {HTMLFormElement} */ (byId("subscription-form"));
  const result = byId("subscription-result");
  const send = idempotentWriter();

  /** @param {any} subscription */
  function subscriptionItem(subscription) {
    const deliveries = el("ol", { class: "deliveries", id: `deliveries-${subscription.id}`, "aria-label": `Recent deliveries to ${subscription.url}`, hidden: true });
    const label = (/** @type {string} */ text) => el("span", { class: "visually-hidden" }, ` ${text} ${subscription.url}`);
    const show = el("button", { type: "button", "aria-controls": deliveries.id }, "Deliveries", label("of"));
    const remove = el("button", { type: "button", class: "danger" }, "Delete", label("the subscription to"));
    const item = el(
      "li",
      { class: "subscription", "data-subscription-id": subscription.id },
      el("p", { class: "url" }, subscription.url),
      subscription.description ? el("p", { class: "note" }, subscription.description) : null,
      el(
        "p",
        { class: "meta" },
        el("span", { class: `badge subscription-${subscription.status}` }, subscription.status),
        subscription.disabledReason ? ` (${subscription.disabledReason})` : "",
        ` · ${subscription.deliveredCount ?? 0} delivered · ${subscription.failedCount ?? 0} failed`,
      ),
      el("div", { class: "buttons" }, show, remove),
      deliveries,
    );
    // Each click reads the log again: the way to see a retry land.
    show.addEventListener("click", async () => {
      const answer = await callApi(`/subscriptions/${encodeURIComponent(subscription.id)}/deliveries?limit=${DELIVERIES_SHOWN}`, { token: readToken() });
      if (!answer.ok) {
        setStatus(status, `Could not read the deliveries: ${answer.message}`, "error");
        return;
      }
      deliveries.replaceChildren(...(answer.data.length ? answer.data.map(deliveryItem) : [el("li", {}, "No deliveries yet.")]));
      deliveries.hidden = false;
    });
    remove.addEventListener("click", async () => {
      if (!confirm(`Delete the subscription to ${subscription.url}? Nothing more is delivered to it.`)) return;
      const answer = await callApi(`/subscriptions/${encodeURIComponent(subscription.id)}`, { method: "DELETE", token: readToken() });
      if (!answer.ok && answer.status !== 404) {
        setStatus(status, `Not deleted: ${answer.message}`, "error");
        return;
      }
      item.remove();
      setStatus(status, `Deleted the subscription to ${subscription.url}.`, "ok");
    });
    return item;
  }

  async function load() {
    const token = readToken();
    tokenInput.value = token;
    panel.hidden = true;
    if (!token) {
      setStatus(status, "Enter the token to manage subscriptions.");
      return;
    }
    setStatus(status, "Loading subscriptions…", "busy");
    const answer = await callApi("/subscriptions?limit=100", { token });
    if (!answer.ok) {
      setStatus(status, answer.status === 401 ? "The gateway refused this token." : `Could not load the subscriptions: ${answer.message}`, "error");
      return;
    }
    list.replaceChildren(...answer.data.map(subscriptionItem));
    panel.hidden = false;
    const count = answer.data.length;
    setStatus(status, count === 0 ? "No subscriptions yet." : `${count} subscription${count === 1 ? "" : "s"}.`, "ok");
  }

  tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = tokenInput.value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    void load();
  });
  byId("token-forget").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    list.replaceChildren();
    void load();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    const description = String(data.get("description") ?? "");
    const body = { url: String(data.get("url") ?? ""), ...(description ? { description } : {}) };
    setStatus(result, "Subscribing…", "busy");
    const answer = await send("/subscriptions", body, readToken());
    if (!answer.ok) {
      setStatus(result, `Not subscribed: ${answer.message}`, "error");
      return;
    }
    form.reset();
    list.append(subscriptionItem(answer.data));
    result.replaceChildren("Subscribed. Its signing secret, shown only now: ", el("code", { class: "secret" }, answer.data.secret));
    result.dataset.kind = "ok";
  });

  void load();
}
