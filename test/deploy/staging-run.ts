// What the deploy tests share: the commands a staging deploy runs, and a harness per test.
import { type ExpectStatic, it as serial, type TestContext } from "vitest";
import { CONFIGS } from "../../scripts/lib/workers.mjs";
import { type DeployRun, deployHarness, fakeGateway, freshAccount } from "./harness.ts";

export const MIGRATE_STAGING = "d1 migrations apply tickets-staging --remote -c workers/tickets/v1.0.0/wrangler.toml --env staging";
/** The search database is migrated from its own Worker's config, after the tickets one. */
export const MIGRATE_SEARCH_STAGING = "d1 migrations apply search-staging --remote -c workers/search/wrangler.toml --env staging";
/** Both databases' migrations, in order. */
export const MIGRATE_ALL_STAGING = [MIGRATE_STAGING, MIGRATE_SEARCH_STAGING];
export const SECRET_LIST_STAGING = "secret list -c wrangler.toml --env staging --format json";
/** The deploys, in order: the services, the webhooks Worker after the reply feed, search, the gateway last. */
export const DEPLOY_STAGING = [CONFIGS.ticketsV100, CONFIGS.ticketsV101, CONFIGS.replyFeed, CONFIGS.webhooks, CONFIGS.search, CONFIGS.gateway].map((config) => `deploy -c ${config} --env staging`);
/** The same, the gateway's with a secrets file (its path, a fresh temporary one, as FILE). */
export const DEPLOY_STAGING_WITH_SECRET = [...DEPLOY_STAGING.slice(0, -1), `${DEPLOY_STAGING.at(-1)} --secrets-file FILE`];
/** A run's calls, a secrets file's path as FILE. */
export const callsOf = (run: DeployRun) => run.calls.map((call) => call.replace(/--secrets-file \S+/, "--secrets-file FILE"));
/**
 * Each test has its own account, project copy and gateway, so the tests run concurrently (and so
 * the clean-up goes through the test's own context: the global hook cannot tell concurrent tests apart).
 */
export async function setup({ onTestFinished }: TestContext) {
  const gateway = await fakeGateway();
  const harness = deployHarness({ ...freshAccount(), gatewayUrl: gateway.url });
  onTestFinished(async () => {
    harness.dispose();
    await gateway.close();
  });
  return { gateway, harness };
}
export const it = serial.concurrent;

/** A deploy that a failing `command` stopped: exit 1, wrangler's message, the command and the step named, the command the last one run. */
export function expectStopped(expect: ExpectStatic, run: DeployRun, { command, message, step }: { command: string; message: string; step: string }) {
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(message);
  expect(run.stderr).toContain(`\`wrangler ${command}\` failed (exit 1)`);
  expect(run.stderr).toContain(`Stopped in "${step}": nothing after it ran.`);
  expect(run.calls.at(-1)).toBe(command);
}
