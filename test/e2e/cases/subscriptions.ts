// The webhook subscriptions panel: the token asked for and kept in sessionStorage only; list, add
// (the secret shown once), a subscription's deliveries, delete.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SOCIAL_AUTH } from "../seed.ts";
import type { E2eSuite } from "../support/suite.ts";
import { postReply } from "../support/system.ts";

export function subscriptionCases(suite: E2eSuite) {
  describe("webhook subscriptions", () => {
    // A receiver on this machine (npm start's .dev.vars allows loopback URLs locally) that takes
    // every delivery with a 204.
    let receiver: Server;
    let received = 0;
    beforeAll(async () => {
      receiver = createServer((req, res) => {
        received += 1;
        req.resume();
        res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it("asks for the token, refuses a wrong one, and keeps the right one in sessionStorage only", async () => {
      const page = await suite.open("/", { allow: [/status of 401/] });
      await page.locator("#subscriptions-status", { hasText: "Enter the token" }).waitFor();
      expect(await page.locator("#subscriptions-body").isHidden()).toBe(true);
      await page.getByLabel("Management token").fill("not-the-token");
      await page.getByRole("button", { name: "Use token" }).click();
      await page.locator("#subscriptions-status", { hasText: "The gateway refused this token." }).waitFor();

      await page.getByLabel("Management token").fill(suite.system.token);
      await page.getByRole("button", { name: "Use token" }).click();
      await page.locator("#subscriptions-status", { hasText: "No subscriptions yet." }).waitFor();
      const stored = await page.evaluate(() => ({ session: sessionStorage.getItem("subscriptionsToken"), local: localStorage.length, cookie: document.cookie }));
      expect(stored).toEqual({ session: suite.system.token, local: 0, cookie: "" });
      expect(page.url()).not.toContain(suite.system.token);

      // The same tab after a reload still has it; forgetting it clears it.
      await page.reload();
      await page.locator("#subscriptions-status", { hasText: "No subscriptions yet." }).waitFor();
      await page.getByRole("button", { name: "Forget token" }).click();
      await page.locator("#subscriptions-status", { hasText: "Enter the token" }).waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      expect(await page.getByLabel("Management token").inputValue()).toBe("");
    });

    it("adds a subscription (its secret shown once), shows its deliveries, and deletes it", async () => {
      const page = await suite.open();
      await page.getByLabel("Management token").fill(suite.system.token);
      await page.getByRole("button", { name: "Use token" }).click();
      await page.locator("#subscriptions-status", { hasText: "No subscriptions yet." }).waitFor();

      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      await page.getByLabel("Receiver URL").fill(url);
      await page.getByLabel("What it is for").fill("e2e receiver");
      await page.getByRole("button", { name: "Subscribe" }).click();
      await page.locator("#subscription-result .secret").waitFor();
      expect(await page.locator("#subscription-result .secret").textContent()).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      const item = page.locator("#subscription-list .subscription").filter({ hasText: url });
      expect(await item.textContent()).toContain("active");

      // A reply is delivered to it; its log shows the delivery (refreshed by asking again).
      await postReply(suite.system.base, SOCIAL_AUTH, "Hook", `Delivered ${Date.now()}`);
      await vi.waitFor(
        async () => {
          await item.getByRole("button", { name: /^Deliveries/ }).click();
          await item.locator('.deliveries li[data-delivery-status="delivered"]').first().waitFor({ timeout: 500 });
        },
        { timeout: 20_000, interval: 250 },
      );
      expect(received).toBeGreaterThanOrEqual(1);
      expect(await item.locator(".deliveries li").first().textContent()).toContain("HTTP 204");

      // Listed again after a reload, from the API.
      await page.reload();
      await item.waitFor();
      page.once("dialog", (dialog) => void dialog.accept());
      await item.getByRole("button", { name: `Delete the subscription to ${url}` }).click();
      await page.locator("#subscriptions-status", { hasText: `Deleted the subscription to ${url}.` }).waitFor();
      expect(await item.count()).toBe(0);
      const listed = await fetch(`${suite.system.base}/subscriptions`, { headers: { authorization: `Bearer ${suite.system.token}` } });
      expect(await listed.json()).toEqual([]);
    });
  });
}
