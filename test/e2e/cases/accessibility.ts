// Accessibility: axe-core on every view, search results among them (no serious or critical
// violation), the page used by keyboard alone, and a phone-width screen without sideways scrolling.
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SOCIAL_AUTH } from "../seed.ts";
import { searchUntil } from "../support/search.ts";
import type { E2eSuite } from "../support/suite.ts";

/** The serious and critical violations axe finds on `page` against WCAG 2.1 A and AA, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

export function accessibilityCases(suite: E2eSuite) {
  describe("accessibility", () => {
    it("axe-core finds no serious or critical violation on any view, at laptop and phone width", async () => {
      for (const viewport of [{ width: 1100, height: 800 }, { width: 375, height: 812 }]) {
        const page = await suite.open("/", { viewport });
        await page.locator("#ticket-list > li").nth(2).waitFor();
        // The subscriptions panel open, with a subscription listed, and its deliveries shown.
        await page.getByLabel("Management token").fill(suite.system.token);
        await page.getByRole("button", { name: "Use token" }).click();
        await page.locator("#subscriptions-body").waitFor();
        await page.locator("#versions-body tr").first().waitFor();
        expect(await seriousViolations(page), `list at ${viewport.width}px`).toEqual([]);

        await page.goto(`${suite.system.base}/#/tickets/${SOCIAL_AUTH}`);
        await page.locator("#reply-list .reply").first().waitFor();
        expect(await seriousViolations(page), `ticket at ${viewport.width}px`).toEqual([]);

        await page.goto(`${suite.system.base}/#/new`);
        await page.locator("#view-new").waitFor();
        expect(await seriousViolations(page), `new ticket at ${viewport.width}px`).toEqual([]);

        // Search results shown, with their marks and the index's status line.
        await searchUntil(page, "authenticate", page.locator("#search-list .hit mark"), 10_000);
        await page.locator("#search-index-status[data-state]").waitFor();
        expect(await seriousViolations(page), `search results at ${viewport.width}px`).toEqual([]);
      }
    });

    it("works by keyboard alone: skip link, navigation, the new-ticket form and a reply", async () => {
      const page = await suite.open();
      await page.locator("#ticket-list > li").nth(2).waitFor();
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to the tickets");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("All tickets");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("New ticket");
      await page.keyboard.press("Enter");
      // Focus moves to the new view's heading; the form's fields follow in order.
      await page.waitForFunction(() => document.activeElement?.id === "new-heading");
      await page.keyboard.press("Tab");
      await page.keyboard.type("Typed without a mouse");
      await page.keyboard.press("Enter");
      await page.locator("#new-result a").waitFor();
      await page.locator("#new-result a").focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.id === "ticket-heading" && document.activeElement.textContent === "Typed without a mouse");
      await page.getByLabel("Your name").focus();
      await page.keyboard.type("Keys");
      await page.keyboard.press("Tab");
      await page.keyboard.type("Replied by keyboard");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.locator("#reply-result", { hasText: "Reply posted" }).waitFor();
      expect(await page.locator("#reply-list .reply .text").allTextContents()).toEqual(["Replied by keyboard"]);
    });

    it("fits a phone-width screen without sideways scrolling, every control labelled", async () => {
      const page = await suite.open(`/#/tickets/${SOCIAL_AUTH}`, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      await page.locator("#reply-list .reply").first().waitFor();
      await page.locator("#versions-body tr").first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll("input, textarea, select")).filter((control) => (control as HTMLInputElement).labels?.length === 0).map((control) => control.id),
      );
      expect(unlabelled).toEqual([]);
      const box = await page.getByRole("button", { name: "Post reply" }).boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(40);
    });
  });
}
