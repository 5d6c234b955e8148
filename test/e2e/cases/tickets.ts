// The tickets views: the list, a ticket with its replies and reply form, the new-ticket form.
import { describe, expect, it } from "vitest";
import { SEED_TICKETS, SOCIAL_AUTH } from "../seed.ts";
import type { E2eSuite } from "../support/suite.ts";

export function ticketCases(suite: E2eSuite) {
  const open = suite.open.bind(suite);
  describe("tickets", () => {
    it("the list shows the three seed tickets, newest first, with reply counts and who served them", async () => {
      const page = await open();
      const items = page.locator("#ticket-list > li");
      await items.nth(2).waitFor();
      expect(await page.locator("#ticket-list .ticket-title").allTextContents()).toEqual(SEED_TICKETS.map((t) => t.title));
      for (const [n, ticket] of SEED_TICKETS.entries()) {
        expect(await items.nth(n).textContent()).toContain(ticket.replies === 1 ? "1 reply" : `${ticket.replies} replies`);
      }
      expect(await page.locator("#list-status").textContent()).toBe("3 tickets, served by tickets@1.0.1.");
    });

    it("a ticket shows its replies as text (the seed's HTML is not parsed) and the reply form posts with an Idempotency-Key", async () => {
      const page = await open(`/#/tickets/${SOCIAL_AUTH}`);
      await page.locator("#ticket-heading", { hasText: "Social Authentication" }).waitFor();
      const seedReply = page.locator("#reply-list .reply").first();
      expect(await seedReply.locator(".text").textContent()).toContain(`<p>Hi John, thanks for reaching out.</p>`);
      expect(await page.locator("#reply-list a, #reply-list p p").count()).toBe(0);

      await page.getByLabel("Your name").fill("E2E");
      await page.getByLabel("Message").fill("Posted from the page");
      const [request] = await Promise.all([
        page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(`/tickets/${SOCIAL_AUTH}/replies`)),
        page.getByRole("button", { name: "Post reply" }).click(),
      ]);
      expect(request.headers()["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
      await page.locator("#reply-result", { hasText: "Reply posted" }).waitFor();
      expect(await page.locator("#reply-result").textContent()).toBe("Reply posted, served by tickets@1.0.1.");
      expect(await page.locator("#reply-list .reply").last().locator(".text").textContent()).toBe("Posted from the page");
      expect(await page.locator("#replies-heading").textContent()).toBe("Replies (2)");
    });

    it("the new-ticket form creates a ticket, links to it and puts it first in the list", async () => {
      const page = await open("/#/new");
      await page.getByLabel("Title").fill("Password reset mail never arrives");
      await page.getByLabel("Description").fill("Since Monday.");
      await page.getByLabel("Your initials").fill("MB");
      await page.getByLabel("Status").selectOption("Pending");
      await page.getByRole("button", { name: "Create ticket" }).click();
      const created = page.locator("#new-result a");
      await created.waitFor();
      expect(await page.locator("#new-result").textContent()).toBe("Created Password reset mail never arrives, served by tickets@1.0.1.");
      await created.click();
      await page.locator("#ticket-heading", { hasText: "Password reset mail never arrives" }).waitFor();
      expect(await page.locator("#ticket-meta").textContent()).toContain("Pending");
      expect(await page.locator("#ticket-description").textContent()).toBe("Since Monday.");
      await page.getByRole("link", { name: "All tickets" }).first().click();
      await page.locator("#ticket-list .ticket-title").first().filter({ hasText: "Password reset mail never arrives" }).waitFor();
    });

    it("a ticket the API refuses says why", async () => {
      const page = await open("/#/new", { allow: [/status of 400/] });
      await page.getByLabel("Title").fill("   ");
      await page.getByRole("button", { name: "Create ticket" }).click();
      await page.locator("#new-result", { hasText: "Not created" }).waitFor();
      expect(await page.locator("#new-result").textContent()).toContain("title");
    });
  });
}
