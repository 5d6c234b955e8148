// A browser page on the system under test that records everything that should never happen: an
// uncaught script error, a console error (a CSP or Trusted Types violation is one), a failed request.
import type { Browser, BrowserContextOptions, Page } from "playwright-core";

export interface OpenOptions extends BrowserContextOptions {
  /**
   * Connect the live feed to the gateway (true), or to a stand-in that answers an empty snapshot
   * (the default). The gateway allows 20 live-feed connections a minute per client address, and
   * every page here comes from 127.0.0.1: only the tests about the feed spend them.
   */
  liveFeed?: boolean;
  /** Console errors this test expects (Chromium logs every 4xx a fetch gets as one). */
  allow?: RegExp[];
  /** Runs on the blank page before it loads (to route its WebSocket, say). */
  beforeLoad?: (page: Page) => Promise<void>;
}

export interface PageSession {
  page: Page;
  /** What went wrong on the page so far; a test expects it empty. */
  problems: string[];
  close: () => Promise<void>;
}

/**
 * Opens `path` of `base` in a new context (its own sessionStorage) and waits until the page's
 * first tickets load and the live feed are up.
 */
export async function openPage(browser: Browser, base: string, path = "/", options: OpenOptions = {}): Promise<PageSession> {
  const { liveFeed = false, allow = [], beforeLoad, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...contextOptions });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !allow.some((pattern) => pattern.test(message.text()))) problems.push(`console error: ${message.text()}`);
  });
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  if (!liveFeed) await page.routeWebSocket(/\/replies\/live$/, (ws) => ws.send(JSON.stringify({ type: "snapshot", replies: [] })));
  await beforeLoad?.(page);
  await page.goto(`${base}${path}`);
  await waitForFeed(page, "live");
  return { page, problems, close: () => context.close() };
}

/** Waits until the live feed's status is `state` (connecting, live, reconnecting). */
export function waitForFeed(page: Page, state: string, timeout = 10_000) {
  return page.locator(`#feed-status[data-state="${state}"]`).waitFor({ timeout });
}
