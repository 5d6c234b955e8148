// The page while tickets 1.0.1 fails every ticket query (FAILURE_RATE 1 for this run only, through
// startDevSystem's option): reads fall back, the third failure in a row opens 1.0.1's breaker, and
// a write made while it is open is served by 1.0.0, which the page says.
import { describe, expect, it } from "vitest";
import { SOCIAL_AUTH } from "./seed.ts";
import { useE2eSystem } from "./support/suite.ts";

const suite = useE2eSystem("e2e-breaker", "1");

describe("with tickets 1.0.1 failing every time", () => {
  it("the list says it fell back, and after three failed reads the versions panel shows 1.0.1's breaker open", async () => {
    const page = await suite.open();
    await page.locator("#list-status", { hasText: "3 tickets" }).waitFor();
    expect(await page.locator("#list-status").textContent()).toBe("3 tickets, served by tickets@1.0.0, falling back from tickets@1.0.1.");
    // The page's first load was one failure of 1.0.1; two refreshes make three in a row.
    for (let n = 0; n < 2; n++) {
      await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === "/tickets"), page.getByRole("button", { name: "Refresh" }).click()]);
    }
    const row = page.locator('#versions-body tr[data-version="tickets@1.0.1"]');
    // The panel refreshes every 2 s.
    await page.locator('#versions-body tr[data-version="tickets@1.0.1"][data-state="open"]').waitFor({ timeout: 3_000 });
    expect(await row.locator("td").allTextContents()).toEqual(["open", "3", "3", "0", "3"]);
    expect(await page.locator('#versions-body tr[data-version="tickets@1.0.0"]').getAttribute("data-state")).toBe("closed");
    expect(await page.locator("#versions .note").textContent()).toContain("one gateway isolate");
  });

  it("a reply posted while 1.0.1's breaker is open says it was served by 1.0.0, falling back from 1.0.1", async () => {
    // Opening the ticket reads it through the gateway: 1.0.1 fails, or is skipped if still open.
    const page = await suite.open(`/#/tickets/${SOCIAL_AUTH}`);
    await page.locator("#ticket-status", { hasText: "falling back from tickets@1.0.1" }).waitFor();
    for (let n = 0; n < 3; n++) await page.request.get(`${suite.system.base}/tickets/${SOCIAL_AUTH}`);
    await page.getByLabel("Your name").fill("During the outage");
    await page.getByLabel("Message").fill("Still answered");
    await page.getByRole("button", { name: "Post reply" }).click();
    await page.locator("#reply-result", { hasText: "Reply posted" }).waitFor();
    expect(await page.locator("#reply-result").textContent()).toBe("Reply posted, served by tickets@1.0.0, falling back from tickets@1.0.1.");
  });
});
