// The search box in the page's header. Submitting it opens the search view at #/search?q=<query>
// (so results can be linked, reloaded and gone back to); a query the index cannot read comes back
// as the gateway's 400 and is shown here, under the box, as the form's error.
import { byId } from "./dom.js";
import { searchHref } from "./router.js";

/** The API's bounds on q, after trimming (workers/search). */
export const MAX_QUERY_LENGTH = 200;

/**
 * @param {(q: string) => void} research called when the query submitted is the one already shown
 *   (the fragment does not change, so no route change runs the search again)
 */
export function searchForm(research) {
  const form = /** @type {HTMLFormElement} */ (byId("search-form"));
  const input = /** @type {HTMLInputElement} */ (byId("search-input"));
  const error = byId("search-error");

  /** Shows what is wrong with the query ("" clears it), and takes the reader back to the box. */
  function showError(/** @type {string} */ message) {
    error.textContent = message;
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q === "") return showError("Type a word to search for.");
    if (q.length > MAX_QUERY_LENGTH) return showError(`A search is at most ${MAX_QUERY_LENGTH} characters.`);
    const href = searchHref(q);
    if (location.hash === href) research(q);
    else location.hash = href;
  });
  input.addEventListener("input", () => input.hasAttribute("aria-invalid") && showError(""));

  return {
    showError,
    /** Puts a route's query in the box (a reload or a link opened the search view). */
    setQuery: (/** @type {string} */ q) => void (input.value = q),
  };
}
