// Chromium for the e2e tests: a system Chromium (CHROMIUM_PATH, default Debian's /usr/bin/chromium),
// since browser downloads may not be possible here; Playwright's own browser where that is missing
// and one is installed (`npx playwright install chromium`).
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Without the background-networking flags Chromium's own connections fail on a closed network and slow every page. */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium to drive: CHROMIUM_PATH, else /usr/bin/chromium, else Playwright's (undefined). */
export function chromiumPath(): string | undefined {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return existsSync(path) ? path : undefined;
}

/** Launches Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ARGS });
}
