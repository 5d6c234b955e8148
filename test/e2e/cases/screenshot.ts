// The README's picture of the page, taken on the seed data at laptop width. Written to
// E2E_SCREENSHOT when set (`E2E_SCREENSHOT=docs/page.png npm run test:e2e` refreshes the README's),
// else beside the run's logs under .wrangler/, so a plain run leaves the working tree unchanged.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../../scripts/lib/run.mjs";
import type { E2eSuite } from "../support/suite.ts";

export function screenshotCase(suite: E2eSuite) {
  describe("screenshot", () => {
    it("takes the page at laptop width once it has loaded", async () => {
      const page = await suite.open("/", { viewport: { width: 1000, height: 860 }, liveFeed: true });
      await page.locator("#ticket-list > li").nth(2).waitFor();
      await page.locator("#versions-body tr").nth(2).waitFor();
      await page.locator("#feed-list .feed-item").nth(1).waitFor();
      const file = path.resolve(ROOT, process.env.E2E_SCREENSHOT ?? ".wrangler/e2e-page.png");
      mkdirSync(path.dirname(file), { recursive: true });
      const png = await page.screenshot({ path: file });
      expect(png.length).toBeGreaterThan(10_000);
    });
  });
}
