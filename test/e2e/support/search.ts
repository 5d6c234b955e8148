// Searching from the page's header, as a user would: type, submit, and wait until the page has
// shown the answer (the results list's aria-busy goes back to false after the GET /search answer).
import type { Locator, Page } from "playwright-core";

/** Submits `q` in the search box and waits until its answer is on the page. */
export async function search(page: Page, q: string): Promise<void> {
  await page.getByRole("searchbox", { name: "Search" }).fill(q);
  await Promise.all([
    // This query's answer: a search still in flight from before (the results view coming back
    // from history searches again) must not count as this one's.
    page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === "/search" && url.searchParams.get("q") === q.trim();
    }),
    page.getByRole("button", { name: "Search", exact: true }).click(),
  ]);
  await page.locator('#search-list[aria-busy="false"]').waitFor({ state: "attached" });
}

/**
 * Searches `q` again and again until `found` is on the page, for `timeoutMs` at most: the index
 * is fed a moment after each write, so a search made at once may come too early. Each round waits
 * for the page's answer; nothing sleeps.
 * @returns how long it took, in ms
 */
export async function searchUntil(page: Page, q: string, found: Locator, timeoutMs: number): Promise<number> {
  const start = Date.now();
  let rounds = 0;
  for (;;) {
    await search(page, q);
    rounds += 1;
    if ((await found.count()) > 0) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`searching "${q}" ${rounds} times over ${timeoutMs} ms did not find ${found}`);
  }
}
