// One system and one Chromium for a file of e2e tests, and the pages its tests open, each checked
// after its test for script errors, console errors (CSP and Trusted Types violations are ones) and
// failed requests.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { openPage, type OpenOptions, type PageSession } from "./page-session.ts";
import { type E2eSystem, startE2eSystem } from "./system.ts";

export interface E2eSuite {
  /** The system under test (after beforeAll). */
  readonly system: E2eSystem;
  /** Opens `path` in a new browser context and waits for its live feed (see {@link OpenOptions}). */
  open(path?: string, options?: OpenOptions): Promise<Page>;
}

/**
 * Registers the file's hooks: start before its tests, stop after, check and close pages after each.
 * @example
 * ```ts
 * const suite = useE2eSystem("e2e-page", "0");
 * it("...", async () => { const page = await suite.open("/"); });
 * ```
 */
export function useE2eSystem(name: string, ticketsV101FailureRate: string): E2eSuite {
  let system: E2eSystem | undefined;
  const sessions: PageSession[] = [];
  beforeAll(async () => {
    system = await startE2eSystem(name, ticketsV101FailureRate);
  });
  afterAll(() => system?.stop());
  afterEach(async () => {
    const problems = sessions.flatMap((session) => session.problems);
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    expect(problems).toEqual([]);
  });
  return {
    get system() {
      if (!system) throw new Error("the system has not started");
      return system;
    },
    async open(path = "/", options = {}) {
      if (!system) throw new Error("the system has not started");
      const session = await openPage(system.browser, system.base, path, options);
      sessions.push(session);
      return session.page;
    },
  };
}
