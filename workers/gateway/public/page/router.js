// The page's views by URL fragment, so the back button, reloads and shared links work without the
// server knowing any page route (the Worker keeps answering every non-file path with the API):
// #/ the tickets, #/tickets/<id> one ticket, #/new the new-ticket form, #/search?q=<query> search.

/** @typedef {{ view: "list" } | { view: "ticket", id: string } | { view: "new" } | { view: "search", q: string }} Route */

/**
 * The route of a fragment; anything unknown is the list.
 * @param {string} hash
 * @returns {Route}
 */
export function parseRoute(hash) {
  const ticket = hash.match(/^#\/tickets\/([A-Za-z0-9_-]{1,64})$/);
  if (ticket) return { view: "ticket", id: /** @type {string} */ (ticket[1]) };
  if (hash === "#/new") return { view: "new" };
  if (hash.startsWith("#/search?")) return { view: "search", q: new URLSearchParams(hash.slice("#/search?".length)).get("q") ?? "" };
  return { view: "list" };
}

/** @param {string} id */
export const ticketHref = (id) => `#/tickets/${encodeURIComponent(id)}`;

/** @param {string} q */
export const searchHref = (q) => `#/search?${new URLSearchParams({ q })}`;

/**
 * Calls `show` with the current route now and after every change of the fragment.
 * @param {(route: Route) => void} show
 */
export function onRoute(show) {
  window.addEventListener("hashchange", () => show(parseRoute(location.hash)));
  show(parseRoute(location.hash));
}
