// The search view (#/search?q=<query>): the best hits for a query from GET /search, each linking
// to its ticket, or a message that nothing matches; the index's status beside them. A query the
// search service refuses (longer than 200 characters, say) is a 400 whose message goes to the
// search box's error line; broken FTS5 syntax is searched for as plain words, not refused.
import { callApi } from "./api.js";
import { byId, setStatus } from "./dom.js";
import { hitItem } from "./search-hit.js";
import { indexStatusLine } from "./index-status.js";

const LIMIT = 20;

/**
 * @param {HTMLElement} view the view's section, for the status line to refresh only while shown
 * @param {{ showError: (message: string) => void }} form the search box
 */
export function searchView(view, form) {
  const list = byId("search-list");
  const status = byId("search-status");
  const index = indexStatusLine(byId("search-index-status"), () => !view.hidden);
  let asked = 0;

  /** Runs the search for `q` and shows its hits. */
  async function show(/** @type {string} */ q) {
    const n = ++asked;
    list.setAttribute("aria-busy", "true");
    setStatus(status, "Searching…", "busy");
    void index.refresh();
    const answer = await callApi(`/search?${new URLSearchParams({ q, limit: String(LIMIT) })}`);
    if (n !== asked) return; // a newer search was made meanwhile
    list.replaceChildren();
    list.setAttribute("aria-busy", "false");
    if (!answer.ok) {
      if (answer.status === 400) {
        // The envelope's message names the problem, e.g. "q: must be 1 to 200 characters, not blank".
        form.showError(answer.data?.error?.message ?? answer.message);
        setStatus(status, "Not searched: the search box says what is wrong with the query.", "error");
      } else {
        setStatus(status, `Could not search: ${answer.message}`, "error");
      }
      return;
    }
    form.showError("");
    const hits = answer.data.hits;
    list.append(...hits.map(hitItem));
    if (hits.length === 0) setStatus(status, `No ticket or reply matches “${q}”.`, "");
    else setStatus(status, `${hits.length === LIMIT ? `The best ${LIMIT}` : hits.length} result${hits.length === 1 ? "" : "s"} for “${q}”, best first.`, "ok");
  }

  return { show };
}
