// `npm run deploy` end to end against the stand-in wrangler: the order of the commands, what a
// second run does (nothing new), where the database id goes, and every refusal.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it as serial, type TestContext } from "vitest";
import { PLACEHOLDER_DATABASE_ID } from "../../scripts/lib/deploy/database-id.mjs";
import { CONFIGS, DEPLOY_ORDER, WORKER_CONFIGS } from "../../scripts/lib/workers.mjs";
import { deployHarness, fakeGateway, freshAccount, readText } from "./harness.ts";

const MIGRATE_STAGING = "d1 migrations apply tickets-staging --remote -c workers/tickets/v1.0.0/wrangler.toml --env staging";
const DEPLOY_STAGING = DEPLOY_ORDER().map((config) => `deploy -c ${config} --env staging`);

/**
 * Each test has its own account, project copy and gateway, so the tests run concurrently (and so
 * the clean-up goes through the test's own context: the global hook cannot tell concurrent tests apart).
 */
async function setup({ onTestFinished }: TestContext) {
  const gateway = await fakeGateway();
  const harness = deployHarness({ ...freshAccount(), gatewayUrl: gateway.url });
  onTestFinished(async () => {
    harness.dispose();
    await gateway.close();
  });
  return { gateway, harness };
}
const it = serial.concurrent;

describe("a first deploy on a fresh account", () => {
  it("creates the database and both queues, migrates, deploys the services then the gateway, and checks its health", async (context) => {
    const { expect } = context;
    const { gateway, harness } = await setup(context);
    const run = await harness.run("--env", "staging");

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      "whoami --json",
      "d1 list --json",
      "d1 create tickets-staging --location enam",
      "d1 list --json",
      "queues list",
      "queues create reply-events-staging",
      "queues create reply-events-dlq-staging",
      MIGRATE_STAGING,
      ...DEPLOY_STAGING,
    ]);
    expect(new Set(run.cwds)).toEqual(new Set([harness.root]));
    expect(run.state.applied[run.state.databases[0]!.uuid]).toEqual(["0001_tickets_and_replies.sql", "0003_reply_outbox.sql", "0004_reply_count.sql", "0005_idempotency_event.sql"]);
    expect(gateway.healthChecks()).toBe(1);
    expect(run.stdout.trimEnd().split("\n").at(-1)?.trim()).toBe(gateway.url);
  });

  it("writes the id Cloudflare reports into the database_id line of env.staging in every tickets config, and nothing else", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    const before = new Map(WORKER_CONFIGS.map((config) => [config, readText(harness.root, config)]));
    const run = await harness.run("--env", "staging");
    expect(run.status).toBe(0);
    const id = run.state.databases.find((db) => db.name === "tickets-staging")?.uuid;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    for (const config of WORKER_CONFIGS) {
      const [was, now] = [before.get(config)!.split("\n"), readText(harness.root, config).split("\n")];
      const changed = now.flatMap((line, i) => (line === was[i] ? [] : [{ was: was[i], now: line }]));
      if (config === CONFIGS.ticketsV100 || config === CONFIGS.ticketsV101) {
        expect(changed).toEqual([{ was: `database_id = "${PLACEHOLDER_DATABASE_ID}"`, now: `database_id = "${id}"` }]);
        // It is the staging block's line: production still waits for its own first deploy.
        expect(now.slice(0, now.indexOf(`database_id = "${id}"`)).findLast((line) => line.startsWith("[["))).toBe("[[env.staging.d1_databases]]");
      } else {
        expect(changed).toEqual([]);
      }
    }
  });

  it("loads the demo seed into the remote database only with --seed, after the migrations", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    const run = await harness.run("--env", "staging", "--seed");
    expect(run.status).toBe(0);
    const seed = "d1 execute tickets-staging --remote -c workers/tickets/v1.0.0/wrangler.toml --env staging --file workers/tickets/seed/seed.sql --yes";
    expect(run.calls.slice(7, 9)).toEqual([MIGRATE_STAGING, seed]);
    expect(run.calls.slice(9)).toEqual(DEPLOY_STAGING);
  });
});

describe("a second deploy", () => {
  it("finds the database and the queues, creates nothing and changes no config", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    expect((await harness.run("--env", "staging")).status).toBe(0);
    const configs = WORKER_CONFIGS.map((config) => readText(harness.root, config));

    const again = await harness.run("--env", "staging");

    expect(again.status).toBe(0);
    expect(again.calls).toEqual(["whoami --json", "d1 list --json", "queues list", MIGRATE_STAGING, ...DEPLOY_STAGING]);
    expect(again.stdout).toContain("No migrations to apply!");
    expect(WORKER_CONFIGS.map((config) => readText(harness.root, config))).toEqual(configs);
    expect(again.state.databases).toHaveLength(1);
    expect(again.state.queues).toHaveLength(2);
  });

  it("of another environment uses that environment's database and queues", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    expect((await harness.run("--env", "staging")).status).toBe(0);
    const run = await harness.run("--env", "production");
    expect(run.status).toBe(0);
    expect(run.calls.filter((call) => call.includes("create"))).toEqual([
      "d1 create tickets-production --location enam",
      "queues create reply-events-production",
      "queues create reply-events-dlq-production",
    ]);
    expect(run.state.databases.map((db) => db.name)).toEqual(["tickets-staging", "tickets-production"]);
  });
});

describe("refusals", () => {
  it.for([
    { login: "not logged in", state: { loggedIn: false }, says: ["Not logged in to Cloudflare.", "npm exec wrangler -- login"] },
    {
      login: "several accounts and no CLOUDFLARE_ACCOUNT_ID",
      state: { accounts: [{ id: "a1", name: "Personal" }, { id: "b2", name: "Work" }] },
      says: ["Personal (a1), Work (b2)", "Set CLOUDFLARE_ACCOUNT_ID"],
    },
  ])("a login refused ($login): says what to do, and runs nothing else", async ({ state, says }, context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    harness.setState({ ...freshAccount(), ...state });
    const run = await harness.run("--env", "staging");
    expect(run.status).toBe(1);
    for (const text of says) expect(run.stderr).toContain(text);
    expect(run.calls).toEqual(["whoami --json"]);
  });

  it("configs that disagree on the shared database's id: refused before anything runs", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    const file = path.join(harness.root, CONFIGS.ticketsV101);
    writeFileSync(file, readText(harness.root, CONFIGS.ticketsV101).replace(`database_id = "${PLACEHOLDER_DATABASE_ID}"`, 'database_id = "11111111-2222-3333-4444-555555555555"'));
    const run = await harness.run("--env", "staging");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("disagree on its database_id");
    expect(run.stderr).toContain(`${CONFIGS.ticketsV100} (${PLACEHOLDER_DATABASE_ID})`);
    expect(run.stderr).toContain(`${CONFIGS.ticketsV101} (11111111-2222-3333-4444-555555555555)`);
    expect(run.calls).toEqual([]);
  });

  it("an unknown environment, or none: names the ones the configs declare", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    const unknown = await harness.run("--env", "qa");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Unknown environment "qa": the configs declare staging, production.');
    const none = await harness.run();
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("No environment given.");
    expect(none.stderr).toContain("`npm run deploy -- --env staging` or `npm run deploy -- --env production`");
    expect([...unknown.calls, ...none.calls]).toEqual([]);
  });

  it("a failed command stops the deploy with wrangler's message; the same command then resumes", async (context) => {
    const { expect } = context;
    const { gateway, harness } = await setup(context);
    harness.setState({ ...freshAccount(), gatewayUrl: gateway.url, fail: { command: "d1 migrations apply", message: "D1 is briefly unavailable" } });
    const failed = await harness.run("--env", "staging");
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("D1 is briefly unavailable");
    expect(failed.stderr).toContain(`\`wrangler ${MIGRATE_STAGING}\` failed (exit 1)`);
    expect(failed.stderr).toContain('Stopped in "Schema migrations of tickets-staging": nothing after it ran.');
    expect(failed.calls.at(-1)).toBe(MIGRATE_STAGING);
    expect(failed.calls.filter((call) => call.startsWith("deploy"))).toEqual([]);

    const resumed = await harness.run("--env", "staging");
    expect(resumed.status).toBe(0);
    expect(resumed.calls).toEqual(["whoami --json", "d1 list --json", "queues list", MIGRATE_STAGING, ...DEPLOY_STAGING]);
  });
});

describe("--dry-run", () => {
  it("prints every command in order, really bundles each Worker, and runs nothing else", async (context) => {
    const { expect } = context;
    const { gateway, harness } = await setup(context);
    const configs = WORKER_CONFIGS.map((config) => readText(harness.root, config));
    const run = await harness.run("--dry-run", "--env", "production");
    expect(run.status).toBe(0);
    // The only commands run: the bundles, offline.
    expect(run.calls).toEqual(
      DEPLOY_ORDER().map((config) => {
        const worker = path.dirname(config) === "." ? "gateway" : path.dirname(config);
        return `deploy --dry-run --outdir ${path.join(harness.root, "dist/production", worker)} -c ${config} --env production`;
      }),
    );
    const printed = run.stdout.split("\n").flatMap((line) => line.match(/^\s+\$ wrangler (.*?)(\s+#.*)?$/)?.[1] ?? []);
    expect(printed.filter((command) => !command.startsWith("deploy --dry-run"))).toEqual([
      "whoami --json",
      "d1 list --json",
      "d1 create tickets-production --location enam",
      "queues list",
      "queues create reply-events-production",
      "queues create reply-events-dlq-production",
      "d1 migrations apply tickets-production --remote -c workers/tickets/v1.0.0/wrangler.toml --env production",
      ...DEPLOY_ORDER().map((config) => `deploy -c ${config} --env production`),
    ]);
    expect(WORKER_CONFIGS.map((config) => readText(harness.root, config))).toEqual(configs);
    expect(gateway.healthChecks()).toBe(0);
  });
});
