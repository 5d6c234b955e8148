// Search from the page's header: hits link to their tickets, a reply posted from the page is found
// within 2 s, hostile text in a hit stays text (matches in <mark>), a query the index cannot read
// shows the gateway's message under the box, and the box works by keyboard.
import { describe, expect, it } from "vitest";
import { AD_ON_IOS, SOCIAL_AUTH } from "../seed.ts";
import { search, searchUntil } from "../support/search.ts";
import type { E2eSuite } from "../support/suite.ts";
import { postTicket } from "../support/system.ts";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
/** The same, as entities: the index strips a reply's tags but decodes entities, so this copy reaches snippets as `<img ...>`. */
const HOSTILE_ESCAPED = `&lt;img src=x onerror="window.__pwned=1"&gt;`;

export function searchCases(suite: E2eSuite) {
  const open = suite.open.bind(suite);
  describe("search", () => {
    it("a seed ticket's title word finds the ticket first, linking to it; the index's status is shown; nothing found says so", async () => {
      const page = await open();
      const ticketHit = page.locator(`#search-list .hit[data-kind="ticket"][data-ticket-id="${SOCIAL_AUTH}"]`);
      // The pump indexes the seed once something wakes it (a write, or the page's status read).
      await searchUntil(page, "authentication", ticketHit, 10_000);
      expect(page.url()).toMatch(/#\/search\?q=authentication$/);
      const first = page.locator("#search-list .hit").first();
      expect(await first.getAttribute("data-kind")).toBe("ticket");
      expect(await first.locator(".hit-head").textContent()).toBe("Ticket Social Authentication");
      expect(await page.locator("#search-status").textContent()).toMatch(/^\d+ results? for “authentication”, best first\.$/);
      await page.locator('#search-index-status[data-state="caught_up"]').waitFor();
      expect(await page.locator("#search-index-status").textContent()).toBe("Search index caught up: every write so far is searchable.");

      const link = first.getByRole("link", { name: "Social Authentication" });
      expect(await link.getAttribute("href")).toBe(`#/tickets/${SOCIAL_AUTH}`);
      await link.click();
      await page.locator("#ticket-heading", { hasText: "Social Authentication" }).waitFor();
      // Back to the results: the fragment holds the query, the box shows it again.
      await page.goBack();
      await ticketHit.waitFor();
      expect(await page.getByRole("searchbox", { name: "Search" }).inputValue()).toBe("authentication");

      await search(page, "xylophone");
      expect(await page.locator("#search-status").textContent()).toBe("No ticket or reply matches “xylophone”.");
      expect(await page.locator("#search-list > li").count()).toBe(0);
    });

    it("a reply posted from the page is found by a word of its message within 2 s, the word marked", async () => {
      const page = await open(`/#/tickets/${AD_ON_IOS}`);
      await page.locator("#ticket-heading", { hasText: "AD on iOS" }).waitFor();
      const word = `wombat${Date.now()}`;
      await page.getByLabel("Your name").fill("Searcher");
      await page.getByLabel("Message").fill(`Seen a ${word} on the release build`);
      await page.getByRole("button", { name: "Post reply" }).click();
      await page.locator("#reply-result", { hasText: "Reply posted" }).waitFor();
      // From the moment the write was answered: searched again and again until the index has it.
      const hit = page.locator(`#search-list .hit[data-kind="reply"][data-ticket-id="${AD_ON_IOS}"]`).filter({ has: page.locator("mark", { hasText: word }) });
      const took = await searchUntil(page, word, hit, 2_000);
      expect(took).toBeLessThanOrEqual(2_000);
      expect(await hit.locator(".hit-head").textContent()).toBe("Reply on AD on iOS");
      expect(await hit.locator(".snippet").textContent()).toBe(`Seen a ${word} on the release build`);
      expect(await hit.locator("mark").allTextContents()).toEqual([word]);
      expect(await hit.getByRole("link").getAttribute("href")).toBe(`#/tickets/${AD_ON_IOS}`);
    });

    it("hostile text in hits (a reply's message, a ticket's title and description) shows literally and inert, with and without the CSP", async () => {
      const word = `quokka${Date.now()}`;
      const writer = await open(`/#/tickets/${SOCIAL_AUTH}`);
      await writer.locator("#ticket-heading", { hasText: "Social Authentication" }).waitFor();
      await writer.getByLabel("Your name").fill("Mallory");
      await writer.getByLabel("Message").fill(`${HOSTILE} ${HOSTILE_ESCAPED} ${word}`);
      await writer.getByRole("button", { name: "Post reply" }).click();
      await writer.locator("#reply-result", { hasText: "Reply posted" }).waitFor();
      const ticket = await postTicket(suite.system.base, { title: `${HOSTILE} ${word}`, description: `<b>${word}</b> <script>window.__pwned=1</script>` });

      const protectedPage = await open("/");
      // Without the CSP: the rendering alone must keep the markup from being parsed.
      const unprotected = await open("/", { bypassCSP: true });
      for (const page of [protectedPage, unprotected]) {
        const replyHit = page.locator(`#search-list .hit[data-kind="reply"][data-ticket-id="${SOCIAL_AUTH}"]`);
        const ticketHit = page.locator(`#search-list .hit[data-kind="ticket"][data-ticket-id="${ticket.id}"]`);
        await searchUntil(page, word, page.locator("#search-list .hit").nth(1), 5_000);
        expect(await replyHit.locator(".snippet").textContent()).toBe(`${HOSTILE} ${word}`);
        expect(await replyHit.locator(".snippet mark").allTextContents()).toEqual([word]);
        expect(await ticketHit.getByRole("link").textContent()).toBe(`${HOSTILE} ${word}`);
        expect(await ticketHit.locator(".snippet").textContent()).toBe(`<b>${word}</b> <script>window.__pwned=1</script>`);
        expect(await ticketHit.locator(".snippet mark").allTextContents()).toEqual([word]);
        expect(await page.locator("#search-list *").evaluateAll((nodes) => [...new Set(nodes.map((n) => n.localName))].sort())).toEqual(["a", "li", "mark", "p", "span"]);
        expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      }
    });

    it("a query the service refuses shows the gateway's message under the box, and the next search works", async () => {
      const page = await open("/", { allow: [/status of 400/] });
      const box = page.getByRole("searchbox", { name: "Search" });
      // Broken FTS5 syntax is searched for as plain words: no error.
      await search(page, `"unbalanced`);
      const error = page.locator("#search-error");
      expect(await error.textContent()).toBe("");
      // A link to a search one character longer than the box lets anyone type (the box says so itself).
      await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === "/search" && r.status() === 400),
        page.evaluate((q) => void (location.hash = `#/search?${new URLSearchParams({ q })}`), "a".repeat(201)),
      ]);
      await page.locator('#search-list[aria-busy="false"]').waitFor({ state: "attached" });
      expect(await error.textContent()).toBe("q: must be 1 to 200 characters, not blank");
      expect(await error.getAttribute("aria-live")).toBe("polite");
      expect(await box.getAttribute("aria-invalid")).toBe("true");
      expect(await box.getAttribute("aria-describedby")).toBe("search-error");
      // Focus goes back to the box to fix the query.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-input");
      expect(await page.locator("#search-list > li").count()).toBe(0);
      expect(await page.locator("#search-status").textContent()).toContain("Not searched");

      // A blank query is refused before it is sent.
      await box.fill("   ");
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await page.locator("#search-error", { hasText: "Type a word to search for." }).waitFor();

      await search(page, "authentication");
      expect(await error.textContent()).toBe("");
      expect(await box.getAttribute("aria-invalid")).toBeNull();
      expect(await page.locator("#search-status").textContent()).toMatch(/for “authentication”/);
    });

    it("works by keyboard: Tab reaches the box after the navigation, Enter searches, focus moves to the results", async () => {
      const page = await open();
      await page.locator("#ticket-list > li").nth(2).waitFor();
      await page.locator("a", { hasText: "New ticket" }).focus();
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-input");
      await page.keyboard.type("authentication");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.id === "search-heading");
      await page.locator("#search-list .hit").first().waitFor();
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.closest(".hit") !== null && document.activeElement?.localName === "a")).toBe(true);
    });
  });
}
