// How far the search index is behind the tickets' writes, from GET /search/status, in words. The
// index is fed by a pump a moment after each write, so a search can miss the newest writes: the
// line says so whenever changes are waiting, and says when it cannot tell.
import { callApi } from "./api.js";
import { setStatus } from "./dom.js";

/** @param {number} n */
const changes = (n) => (n === 1 ? "1 change" : `${n} changes`);

/**
 * The status in words, and its kind for styling.
 * @param {any} status GET /search/status's answer
 * @returns {{ text: string, kind: "ok" | "busy" | "error" }}
 */
export function indexStatusText(status) {
  const behind = status.lagChanges === null ? "how far behind is not known" : `${changes(status.lagChanges)} behind`;
  const age = status.lagSeconds > 0 ? ` (the oldest from ${status.lagSeconds} s ago)` : "";
  switch (status.state) {
    case "caught_up":
      return { text: "Search index caught up: every write so far is searchable.", kind: "ok" };
    case "catching_up":
      return { text: `Search index ${behind}${age}: the newest writes may not be found yet.`, kind: "busy" };
    case "rebuilding":
      return { text: `Search index rebuilding, ${behind}: results may be incomplete until it finishes.`, kind: "busy" };
    case "failing":
      return { text: `Search index updates are failing (retrying by themselves), ${behind}: results may be out of date.`, kind: "error" };
    default:
      return { text: "Search index: how far behind is not known just now (the change log did not answer); results may be out of date.", kind: "error" };
  }
}

/**
 * Keeps `line` showing the index's status: `refresh()` now, and every `everyMs` while `visible()`.
 * @param {HTMLElement} line
 * @param {() => boolean} visible
 * @param {number} [everyMs]
 */
export function indexStatusLine(line, visible, everyMs = 2_000) {
  let asked = 0;
  async function refresh() {
    const n = ++asked;
    const answer = await callApi("/search/status");
    if (n !== asked) return; // a newer read is under way
    line.dataset.state = answer.ok ? String(answer.data.state) : "unavailable";
    if (!answer.ok) return setStatus(line, `Search index status unavailable: ${answer.message}.`, "error");
    const { text, kind } = indexStatusText(answer.data);
    setStatus(line, text, kind);
  }
  const tick = async () => {
    if (visible() && !document.hidden) await refresh();
    setTimeout(tick, everyMs);
  };
  setTimeout(tick, everyMs);
  return { refresh };
}
