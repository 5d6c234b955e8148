// The live feed: a reply posted elsewhere appears within 2 s, hostile content stays text, and a
// dropped connection comes back by itself.
import type { WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { AD_ON_IOS, SOCIAL_AUTH } from "../seed.ts";
import { waitForFeed } from "../support/page-session.ts";
import type { E2eSuite } from "../support/suite.ts";
import { postReply } from "../support/system.ts";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;

export function liveFeedCases(suite: E2eSuite) {
  const open = suite.open.bind(suite);
  describe("live feed", () => {
    it("a reply posted in one page appears in the live feed of a second page within 2 s", async () => {
      const watcher = await open("/", { liveFeed: true });
      const writer = await open(`/#/tickets/${AD_ON_IOS}`);
      await writer.locator("#ticket-heading", { hasText: "AD on iOS" }).waitFor();
      const message = `Live ${Date.now()}`;
      await writer.getByLabel("Your name").fill("Writer");
      await writer.getByLabel("Message").fill(message);
      await writer.getByRole("button", { name: "Post reply" }).click();
      await writer.locator("#reply-result", { hasText: "Reply posted" }).waitFor();
      // From the moment the write was answered.
      await watcher.locator("#feed-list .feed-item").first().filter({ hasText: message }).waitFor({ timeout: 2_000 });
      expect(await watcher.locator("#feed-list .feed-item").first().textContent()).toContain("Writer on AD on iOS");
    });

    it("a reply holding HTML and script is shown inert, as its literal text, in the feed and on its ticket", async () => {
      const watcher = await open("/", { liveFeed: true });
      // A second watcher without the CSP: the rendering alone must keep the script from running.
      const unprotected = await open("/", { bypassCSP: true, liveFeed: true });
      const writer = await open(`/#/tickets/${SOCIAL_AUTH}`);
      await writer.locator("#ticket-heading", { hasText: "Social Authentication" }).waitFor();
      await writer.getByLabel("Your name").fill(`<b>Mallory</b>`);
      await writer.getByLabel("Message").fill(HOSTILE);
      await writer.getByRole("button", { name: "Post reply" }).click();
      await writer.locator("#reply-result", { hasText: "Reply posted" }).waitFor();
      for (const page of [watcher, unprotected]) {
        await page.locator("#feed-list .feed-item .text").getByText(HOSTILE, { exact: true }).waitFor({ timeout: 2_000 });
        expect(await page.locator("#feed-list strong").first().textContent()).toBe("<b>Mallory</b>");
      }
      // And the ticket's own replies, read back from the API after a reload.
      await writer.reload();
      await writer.locator("#reply-list .text").getByText(HOSTILE, { exact: true }).waitFor();
      for (const page of [watcher, unprotected, writer]) {
        expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
        expect(await page.locator("main img, aside img, b").count()).toBe(0);
      }
    });

    it("reconnects by itself after the connection drops, and misses nothing posted meanwhile", async () => {
      // Between the page and the gateway: the first connection passes through and is then dropped,
      // as a network change would; the second is held until a reply has been posted in between.
      const connections: WebSocketRoute[] = [];
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const page = await open("/", {
        liveFeed: true,
        beforeLoad: (page) =>
          page.routeWebSocket(/\/replies\/live$/, async (ws) => {
            connections.push(ws);
            if (connections.length > 1) await released;
            ws.connectToServer();
          }),
      });
      expect(connections).toHaveLength(1);
      await connections[0]!.close();
      await waitForFeed(page, "reconnecting");
      const missed = `While away ${Date.now()}`;
      await postReply(suite.system.base, AD_ON_IOS, "Away", missed);
      release();
      await waitForFeed(page, "live");
      expect(connections).toHaveLength(2);
      // The reply posted while the page was away came with the new connection's snapshot.
      await page.locator("#feed-list .feed-item").first().filter({ hasText: missed }).waitFor({ timeout: 2_000 });
      const after = `After ${Date.now()}`;
      await postReply(suite.system.base, AD_ON_IOS, "Back", after);
      await page.locator("#feed-list .feed-item").first().filter({ hasText: after }).waitFor({ timeout: 2_000 });
    });
  });
}
