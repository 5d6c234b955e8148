// The live feed: GET /replies/live over a WebSocket. The first frame is the whole feed (a
// snapshot), then one frame per new reply, so a reconnect needs no other request and misses
// nothing still in the feed. When the socket drops (a deploy, a network change, the gateway's
// 20-a-minute limit on connections) it reconnects by itself, backing off with jitter so that many
// pages do not come back at once.
import { byId, el, setStatus, timeElement } from "./dom.js";
import { ticketHref } from "./router.js";

const FEED_SIZE = 10;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;
/** Keeps idle connections open through proxies; the runtime answers "pong" without waking the feed. */
const PING_EVERY_MS = 25_000;

/** Oldest first by (createdAt, id), as the feed orders them. */
const byAge = (/** @type {any} */ a, /** @type {any} */ b) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** @param {any} reply */
function feedItem(reply) {
  return el(
    "li",
    { class: "feed-item", "data-reply-id": reply.id },
    el("p", { class: "meta" }, el("strong", {}, reply.user), " on ", el("a", { href: ticketHref(reply.ticketId) }, reply.title ?? "a ticket"), " · ", timeElement(reply.createdAt)),
    el("p", { class: "text" }, reply.message),
    reply.truncated ? el("p", { class: "note" }, "The first 500 characters; the whole reply is on its ticket.") : null,
  );
}

/**
 * Connects the feed and keeps it connected.
 * @param {{ onReply: (reply: any) => void }} hooks `onReply` for each reply pushed after the snapshot
 */
export function liveFeed(hooks) {
  const list = byId("feed-list");
  const status = byId("feed-status");
  /** @type {any[]} */
  let replies = [];
  let failures = 0;
  /** @type {WebSocket | null} */
  let socket = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let retryTimer;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let pingTimer;

  const state = (/** @type {string} */ name, /** @type {string} */ text, /** @type {"ok" | "error" | "busy"} */ kind) => {
    status.dataset.state = name;
    setStatus(status, text, kind);
  };

  const render = () => list.replaceChildren(...[...replies].reverse().map(feedItem));

  /** @param {any[]} incoming */
  function merge(incoming, replace = false) {
    const byId = new Map((replace ? [] : replies).map((r) => [r.id, r]));
    for (const reply of incoming) byId.set(reply.id, reply);
    replies = [...byId.values()].sort(byAge).slice(-FEED_SIZE);
    render();
  }

  /** @param {MessageEvent} event */
  function onMessage(event) {
    if (typeof event.data !== "string" || event.data === "pong") return;
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame?.type === "snapshot" && Array.isArray(frame.replies)) {
      failures = 0;
      merge(frame.replies, true);
      state("live", "Live: new replies appear here as they are posted.", "ok");
    } else if (frame?.type === "reply" && frame.reply) {
      merge([frame.reply]);
      hooks.onReply(frame.reply);
    }
    // Any other type is a later version's: ignored, as the protocol asks.
  }

  function connect() {
    clearTimeout(retryTimer);
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    state(failures === 0 ? "connecting" : "reconnecting", "Connecting…", "busy");
    const url = new URL("/replies/live", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener("message", onMessage);
    ws.addEventListener("open", () => {
      pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), PING_EVERY_MS);
    });
    ws.addEventListener("close", () => {
      clearInterval(pingTimer);
      if (socket !== ws) return;
      socket = null;
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures) * (0.5 + Math.random() / 2);
      failures += 1;
      state("reconnecting", `Connection lost; reconnecting in ${Math.max(1, Math.round(delay / 1000))} s…`, "error");
      retryTimer = setTimeout(connect, delay);
    });
  }

  // Back on the network: no need to wait out the backoff.
  window.addEventListener("online", () => {
    if (!socket) connect();
  });
  connect();
}
