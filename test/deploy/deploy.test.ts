// `npm run deploy` end to end against the stand-in wrangler: the order of the commands, what a
// second run does (nothing new), where the database id goes, and every refusal. The gateway's
// secret: deploy-secrets.test.ts.
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe } from "vitest";
import { PLACEHOLDER_DATABASE_ID } from "../../scripts/lib/deploy/database-id.mjs";
import { ROOT } from "../../scripts/lib/run.mjs";
import { CONFIGS, DEPLOY_ORDER, WORKER_CONFIGS } from "../../scripts/lib/workers.mjs";
import { freshAccount, readText } from "./harness.ts";
import { callsOf, DEPLOY_STAGING, DEPLOY_STAGING_WITH_SECRET, expectStopped, it, MIGRATE_ALL_STAGING, MIGRATE_STAGING, SECRET_LIST_STAGING, setup } from "./staging-run.ts";

/** Finding (or, with a create, making) each database: tickets first, then search, with the same location hint. */
const CREATE_DATABASES_STAGING = ["tickets-staging", "search-staging"].flatMap((db) => ["d1 list --json", `d1 create ${db} --location enam`, "d1 list --json"]);
/** A migrations folder's files, as on disk (and so in the project copy). */
const migrationsIn = (dir: string) => readdirSync(path.join(ROOT, dir)).filter((file) => file.endsWith(".sql")).sort();
/** Every Queue of env.staging, in the order the configs name them (producers, then consumers' DLQs). */
const QUEUES_STAGING = ["reply-events", "webhook-events", "webhook-deliveries", "reply-events-dlq", "webhook-events-dlq", "webhook-deliveries-dlq"].map((q) => `${q}-staging`);

describe("a first deploy on a fresh account", () => {
  it("creates both databases and every queue, migrates both, deploys the services, the webhooks and search Workers, then the gateway, and checks its health", async (context) => {
    const { expect } = context;
    const { gateway, harness } = await setup(context);
    const run = await harness.run("--env", "staging");

    // The gateway's `secret list` fails (no such Worker yet): an answer, not an error to show.
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(callsOf(run)).toEqual([
      "whoami --json",
      ...CREATE_DATABASES_STAGING,
      "queues list",
      ...QUEUES_STAGING.map((queue) => `queues create ${queue}`),
      ...MIGRATE_ALL_STAGING,
      SECRET_LIST_STAGING,
      ...DEPLOY_STAGING_WITH_SECRET,
    ]);
    expect(DEPLOY_ORDER()).toEqual([CONFIGS.ticketsV100, CONFIGS.ticketsV101, CONFIGS.replyFeed, CONFIGS.webhooks, CONFIGS.search, CONFIGS.gateway]);
    expect(run.state.queues.map((q) => q.queue_name)).toEqual(QUEUES_STAGING);
    expect(new Set(run.cwds)).toEqual(new Set([harness.root]));
    const uuid = (name: string) => run.state.databases.find((db) => db.name === name)!.uuid;
    expect(run.state.databases.map((db) => db.name)).toEqual(["tickets-staging", "search-staging"]);
    // Each database gets its own schema, and only its own.
    expect(run.state.applied[uuid("tickets-staging")]).toEqual(migrationsIn("workers/tickets/migrations"));
    expect(run.state.applied[uuid("tickets-staging")]).toEqual(expect.arrayContaining(["0001_tickets_and_replies.sql", "0006_webhooks.sql"]));
    expect(run.state.applied[uuid("search-staging")]).toEqual(migrationsIn("workers/search/migrations"));
    expect(run.state.applied[uuid("search-staging")]).toEqual(expect.arrayContaining(["0001_search_index.sql"]));
    expect(gateway.healthChecks()).toBe(1);
    expect(run.stdout).toContain(`The gateway (the public entry; the services answer over service bindings only):\n\n  ${gateway.url}\n`);
  });

  it("writes each id Cloudflare reports into the database_id line of env.staging in every config that binds that database (the webhooks one too; search's into its own), and nothing else", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    const before = new Map(WORKER_CONFIGS.map((config) => [config, readText(harness.root, config)]));
    const run = await harness.run("--env", "staging");
    expect(run.status).toBe(0);
    const ticketsId = run.state.databases.find((db) => db.name === "tickets-staging")?.uuid;
    const searchId = run.state.databases.find((db) => db.name === "search-staging")?.uuid;
    expect(ticketsId).toMatch(/^[0-9a-f-]{36}$/);
    expect(searchId).toMatch(/^[0-9a-f-]{36}$/);

    for (const config of WORKER_CONFIGS) {
      const [was, now] = [before.get(config)!.split("\n"), readText(harness.root, config).split("\n")];
      const changed = now.flatMap((line, i) => (line === was[i] ? [] : [{ was: was[i], now: line }]));
      const id = config === CONFIGS.search ? searchId : ticketsId;
      if (config === CONFIGS.ticketsV100 || config === CONFIGS.ticketsV101 || config === CONFIGS.webhooks || config === CONFIGS.search) {
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
    const migrated = run.calls.indexOf(MIGRATE_STAGING);
    expect(callsOf(run).slice(migrated)).toEqual([...MIGRATE_ALL_STAGING, seed, SECRET_LIST_STAGING, ...DEPLOY_STAGING_WITH_SECRET]);
  });

});

describe("a second deploy", () => {
  it("finds both databases, the queues and the gateway's secret, creates and uploads nothing, prints no token and changes no config", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    const first = await harness.run("--env", "staging");
    expect(first.status).toBe(0);
    const configs = WORKER_CONFIGS.map((config) => readText(harness.root, config));

    const again = await harness.run("--env", "staging");

    expect(again.status).toBe(0);
    expect(again.stderr).toBe("");
    expect(again.calls).toEqual(["whoami --json", "d1 list --json", "d1 list --json", "queues list", ...MIGRATE_ALL_STAGING, SECRET_LIST_STAGING, ...DEPLOY_STAGING]);
    expect(again.stdout.split("No migrations to apply!")).toHaveLength(3);
    expect(again.stdout).toContain("gateway-staging: SUBSCRIPTIONS_TOKEN is set: kept");
    expect(again.stdout).not.toContain("generated by this deploy");
    expect(again.stdout).not.toContain(first.state.secretValues?.["gateway-staging"]?.SUBSCRIPTIONS_TOKEN);
    expect(again.state.secretsFiles).toHaveLength(1);
    expect(again.state.secretValues).toEqual(first.state.secretValues);
    expect(WORKER_CONFIGS.map((config) => readText(harness.root, config))).toEqual(configs);
    expect(again.state.databases).toEqual(first.state.databases);
    expect(again.state.applied).toEqual(first.state.applied);
    expect(again.state.queues).toHaveLength(QUEUES_STAGING.length);
  });

  it("of another environment uses that environment's database and queues", async (context) => {
    const { expect } = context;
    const { harness } = await setup(context);
    expect((await harness.run("--env", "staging")).status).toBe(0);
    const run = await harness.run("--env", "production");
    expect(run.status).toBe(0);
    expect(run.calls.filter((call) => call.includes("create"))).toEqual([
      "d1 create tickets-production --location enam",
      "d1 create search-production --location enam",
      ...QUEUES_STAGING.map((queue) => `queues create ${queue.replace(/-staging$/, "-production")}`),
    ]);
    expect(run.state.databases.map((db) => db.name)).toEqual(["tickets-staging", "search-staging", "tickets-production", "search-production"]);
    // gateway-production is another Worker: it gets its own token.
    const tokens = Object.values(run.state.secretValues ?? {}).map((values) => values.SUBSCRIPTIONS_TOKEN);
    expect(Object.keys(run.state.secretValues ?? {})).toEqual(["gateway-staging", "gateway-production"]);
    expect(new Set(tokens).size).toBe(2);
    expect(run.stdout).toContain(`\n  ${tokens[1]}\n`);
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
    expectStopped(expect, failed, { command: MIGRATE_STAGING, message: "D1 is briefly unavailable", step: "Schema migrations of tickets-staging" });
    expect(failed.calls.filter((call) => call.startsWith("deploy"))).toEqual([]);

    const resumed = await harness.run("--env", "staging");
    expect(resumed.status).toBe(0);
    expect(callsOf(resumed)).toEqual(["whoami --json", "d1 list --json", "d1 list --json", "queues list", ...MIGRATE_ALL_STAGING, SECRET_LIST_STAGING, ...DEPLOY_STAGING_WITH_SECRET]);
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
      "d1 list --json",
      "d1 create search-production --location enam",
      "queues list",
      ...QUEUES_STAGING.map((queue) => `queues create ${queue.replace(/-staging$/, "-production")}`),
      ...MIGRATE_ALL_STAGING.map((call) => call.replaceAll("staging", "production")),
      "secret list -c wrangler.toml --env production --format json",
      ...DEPLOY_STAGING.map((call) => call.replace("--env staging", "--env production")).map((call, i, all) => (i === all.length - 1 ? `${call} --secrets-file <generated>` : call)),
    ]);
    expect(run.stdout).toContain("gateway-production: SUBSCRIPTIONS_TOKEN kept if `secret list` lists it, else a new one goes with its deploy");
    expect(run.stdout).toContain("--secrets-file <generated>   # with SUBSCRIPTIONS_TOKEN (generated only if `secret list` lacks it); dry run: not run");
    expect(run.stdout).not.toContain("generated by this deploy");
    expect(WORKER_CONFIGS.map((config) => readText(harness.root, config))).toEqual(configs);
    expect(gateway.healthChecks()).toBe(0);
  });
});
