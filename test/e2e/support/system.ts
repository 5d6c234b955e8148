// The system under test for a file of e2e tests: `npm start`'s system on a free port and a state
// folder of its own (scripts/lib/dev-system.mjs), and one Chromium.
import type { Browser } from "playwright-core";
import { type DevSystem, startDevSystem } from "../../../scripts/lib/dev-system.mjs";
import { prepareLocalDevVars } from "../../../scripts/lib/dev-vars.mjs";
import { launchChromium } from "./browser.ts";

export interface E2eSystem {
  base: string;
  /** The gateway's SUBSCRIPTIONS_TOKEN, from the .dev.vars npm start writes. */
  token: string;
  browser: Browser;
  stop: () => Promise<void>;
}

/**
 * Starts the system and Chromium side by side.
 * @param name the state folder's and log's name under .wrangler/
 * @param ticketsV101FailureRate tickets 1.0.1's FAILURE_RATE for this run: "0" where a test needs
 *   to know which version answers, "1" for a breaker that opens on the third read
 */
export async function startE2eSystem(name: string, ticketsV101FailureRate: string): Promise<E2eSystem> {
  const [system, browser] = await Promise.allSettled([startDevSystem(name, { ticketsV101FailureRate }), launchChromium()]);
  if (system.status === "rejected" || browser.status === "rejected") {
    // Whichever started is stopped: a failed start leaves nothing running.
    await (browser.status === "fulfilled" ? browser.value.close() : undefined);
    await (system.status === "fulfilled" ? system.value.stop() : undefined);
    throw system.status === "rejected" ? system.reason : (browser as PromiseRejectedResult).reason;
  }
  return running(system.value, browser.value);
}

function running(system: DevSystem, browser: Browser): E2eSystem {
  return {
    base: system.base,
    token: prepareLocalDevVars(),
    browser,
    stop: async () => {
      await browser.close();
      await system.stop();
    },
  };
}

/** Posts a reply through the API (not the page), as another client would. */
export async function postReply(base: string, ticketId: string, user: string, message: string) {
  const res = await fetch(`${base}/tickets/${ticketId}/replies`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user, message }),
  });
  if (res.status !== 201) throw new Error(`POST reply: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

/** Creates a ticket through the API (not the page). */
export async function postTicket(base: string, ticket: { title: string; description?: string }) {
  const res = await fetch(`${base}/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ticket),
  });
  if (res.status !== 201) throw new Error(`POST ticket: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}
