// The deploy's parsers and config checks, on real wrangler 4.156.2 output and the real configs.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkAllEnvironments, environmentProblems } from "../../scripts/lib/deploy/config-check.mjs";
import { findDatabaseId } from "../../scripts/lib/deploy/d1-database.mjs";
import { PLACEHOLDER_DATABASE_ID, setDatabaseIdInToml, writeDatabaseId } from "../../scripts/lib/deploy/database-id.mjs";
import { readEnvironment } from "../../scripts/lib/deploy/environment.mjs";
import { parseDeployedUrl, waitForHealth } from "../../scripts/lib/deploy/health.mjs";
import { parseDeployOptions } from "../../scripts/lib/deploy/options.mjs";
import { parseQueueNames } from "../../scripts/lib/deploy/queues.mjs";
import { parseSecretNames } from "../../scripts/lib/deploy/secret-list.mjs";
import { withSecretsFile } from "../../scripts/lib/deploy/secrets-file.mjs";
import { generateSecret } from "../../scripts/lib/deploy/secrets.mjs";
import { ROOT } from "../../scripts/lib/run.mjs";
import { CONFIGS } from "../../scripts/lib/workers.mjs";
import { copyProject, readText } from "./harness.ts";

/** `wrangler queues list`, as wrangler 4.156.2 printed it (the banner's update note dropped). */
const QUEUES_LIST = `
 ⛅️ wrangler 4.156.2
───────────────────────────────────────────────
┌──────────────────────────────────┬──────────────────────────┬─────────────────────────────┬─────────────────────────────┬───────────┬───────────┐
│ id                               │ name                     │ created_on                  │ modified_on                 │ producers │ consumers │
├──────────────────────────────────┼──────────────────────────┼─────────────────────────────┼─────────────────────────────┼───────────┼───────────┤
│ 9f0e4a1b2c3d4e5f60718293a4b5c6d7 │ reply-events-staging     │ 2026-11-28T17:02:14.512611Z │ 2026-11-28T17:02:14.512611Z │ 0         │ 0         │
├──────────────────────────────────┼──────────────────────────┼─────────────────────────────┼─────────────────────────────┼───────────┼───────────┤
│ 9f1e4a1b2c3d4e5f60718293a4b5c6d7 │ reply-events-dlq-staging │ 2026-11-28T17:02:14.512611Z │ 2026-11-28T17:02:14.512611Z │ 0         │ 0         │
└──────────────────────────────────┴──────────────────────────┴─────────────────────────────┴─────────────────────────────┴───────────┴───────────┘
`;

/** `wrangler deploy` of the gateway, as wrangler 4.156.2 printed it. */
const GATEWAY_DEPLOY = `
 ⛅️ wrangler 4.156.2
───────────────────────────────────────────────
Total Upload: 170.29 KiB / gzip: 38.05 KiB
Worker Startup Time: 12 ms
Your Worker has access to the following bindings:
Binding                                                          Resource
env.TICKETS_V1_0_0 (tickets-1-0-0-staging)                       Worker
env.CF_VERSION_METADATA                                          Worker Version Metadata

Uploaded gateway-staging (0.10 sec)
Deployed gateway-staging triggers (0.01 sec)
  https://gateway-staging.example-dev.workers.dev
Current Version ID: 8a3f0c1e-5d2b-4e7a-9c6f-1b2d3e4f5a6b
`;

describe("parseQueueNames", () => {
  it("reads the name column of wrangler's table", () => {
    expect(parseQueueNames(QUEUES_LIST)).toEqual(["reply-events-staging", "reply-events-dlq-staging"]);
  });

  it("finds the name column by its header, with a jurisdiction column too", () => {
    const table = ["│ id │ name │ jurisdiction │ created_on │", "├────┼──────┼──────────────┼────────────┤", "│ 1f │ reply-events-production │ eu │ 2026-11-28 │"].join("\n");
    expect(parseQueueNames(table)).toEqual(["reply-events-production"]);
  });

  it("reads an empty page (no queues, or past the last page) as none", () => {
    expect(parseQueueNames("\n ⛅️ wrangler 4.156.2\n────────\n\n")).toEqual([]);
  });
});

describe("findDatabaseId", () => {
  const list = JSON.stringify([{ uuid: "d3b07384-d113-4ec6-a8b4-5c0f1e2a9b7c", name: "tickets-staging", version: "production" }], null, 2);

  it("finds a database by name in `d1 list --json`", () => {
    expect(findDatabaseId(list, "tickets-staging")).toBe("d3b07384-d113-4ec6-a8b4-5c0f1e2a9b7c");
    expect(findDatabaseId(list, "tickets-production")).toBeUndefined();
  });

  it("refuses output that is not the JSON list", () => {
    expect(() => findDatabaseId("Getting User settings...", "tickets-staging")).toThrow("did not answer with JSON");
  });
});

describe("parseDeployedUrl", () => {
  it("reads the workers.dev URL wrangler deploy prints", () => {
    expect(parseDeployedUrl(GATEWAY_DEPLOY)).toBe("https://gateway-staging.example-dev.workers.dev");
  });

  it("is null for a Worker without a public URL", () => {
    expect(parseDeployedUrl("Deployed tickets-1-0-0-staging triggers (0.01 sec)\n  schedule: * * * * *\n  Producer for reply-events-staging\n")).toBeNull();
  });
});

describe("waitForHealth", () => {
  let calls = 0;
  const server = createServer((_, response) => {
    calls++;
    response.writeHead(calls < 3 ? 503 : 200, { "content-type": "application/json" });
    response.end(JSON.stringify(calls < 3 ? { error: { code: "unavailable" } } : { service: "gateway", version: "1.0.0" }));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("tries again until the gateway answers", async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(waitForHealth(url, { tries: 5, delayMs: 10 })).resolves.toEqual({ service: "gateway", version: "1.0.0" });
    expect(calls).toBe(3);
  });

  it("gives up after its tries with the last failure", async () => {
    await expect(waitForHealth("http://127.0.0.1:9", { tries: 2, delayMs: 10 })).rejects.toThrow();
  });
});

describe("setDatabaseIdInToml", () => {
  const toml = readText(ROOT, CONFIGS.ticketsV100);

  it("changes only the database_id line of that environment's block, comments and all else kept", () => {
    const id = "d3b07384-d113-4ec6-a8b4-5c0f1e2a9b7c";
    const [before, after] = [toml.split("\n"), setDatabaseIdInToml(toml, "production", "tickets-production", id).split("\n")];
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [i]));
    expect(changed).toHaveLength(1);
    expect(after[changed[0]!]).toBe(`database_id = "${id}"`);
    expect(after.slice(0, changed[0]).findLast((line) => line.startsWith("[["))).toBe("[[env.production.d1_databases]]");
  });

  it("keeps a comment on the line", () => {
    const block = '[[env.staging.d1_databases]]\ndatabase_name = "tickets-staging"\ndatabase_id = "old"  # written by npm run deploy\n';
    expect(setDatabaseIdInToml(block, "staging", "tickets-staging", "new")).toBe('[[env.staging.d1_databases]]\ndatabase_name = "tickets-staging"\ndatabase_id = "new"  # written by npm run deploy\n');
  });

  it("refuses when the block is not there", () => {
    expect(() => setDatabaseIdInToml(toml, "qa", "tickets-qa", "x")).toThrow("Found 0 [[env.qa.d1_databases]] blocks");
  });
});

describe("the configs' checks", () => {
  it("pass for the configs as committed (npm run check runs them)", () => {
    expect(checkAllEnvironments(ROOT)).toEqual(["staging", "production"]);
  });

  it("refuse a placeholder id in the environment being deployed", () => {
    const staging = readEnvironment(ROOT, "staging");
    expect(environmentProblems(staging, { requireRealIds: false })).toEqual([]);
    expect(environmentProblems(staging, { requireRealIds: true })).toEqual([
      `Database tickets-staging still has the placeholder id "${PLACEHOLDER_DATABASE_ID}" in ${CONFIGS.ticketsV100} (${PLACEHOLDER_DATABASE_ID}), ${CONFIGS.ticketsV101} (${PLACEHOLDER_DATABASE_ID}), ${CONFIGS.webhooks} (${PLACEHOLDER_DATABASE_ID}), so env.staging cannot be deployed.`,
      `Database search-staging still has the placeholder id "${PLACEHOLDER_DATABASE_ID}" in ${CONFIGS.search} (${PLACEHOLDER_DATABASE_ID}), so env.staging cannot be deployed.`,
    ]);
  });

  it("refuse a search config that still has the placeholder id when the tickets database has its real one", ({ onTestFinished }) => {
    const root = copyProject();
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const staging = readEnvironment(root, "staging");
    writeDatabaseId(staging, "tickets-staging", "11111111-2222-3333-4444-555555555555");
    expect(environmentProblems(readEnvironment(root, "staging"), { requireRealIds: true })).toEqual([
      `Database search-staging still has the placeholder id "${PLACEHOLDER_DATABASE_ID}" in ${CONFIGS.search} (${PLACEHOLDER_DATABASE_ID}), so env.staging cannot be deployed.`,
    ]);
    writeDatabaseId(readEnvironment(root, "staging"), "search-staging", "66666666-7777-8888-9999-000000000000");
    expect(environmentProblems(readEnvironment(root, "staging"), { requireRealIds: true })).toEqual([]);
  });

  it("refuse configs that share a database but name different migrations folders", ({ onTestFinished }) => {
    const root = copyProject();
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(`${root}/${CONFIGS.webhooks}`, readText(root, CONFIGS.webhooks).replaceAll('migrations_dir = "../tickets/migrations"', 'migrations_dir = "migrations"'));
    expect(environmentProblems(readEnvironment(root, "staging"), { requireRealIds: false })).toEqual([
      `The configs that share database tickets-staging name different migrations_dir folders: ${CONFIGS.ticketsV100} (workers/tickets/migrations), ${CONFIGS.ticketsV101} (workers/tickets/migrations), ${CONFIGS.webhooks} (workers/webhooks/migrations). A database has one schema: name the same folder in each.`,
    ]);
  });

  it("refuse a webhooks config whose database_id disagrees with the tickets configs'", ({ onTestFinished }) => {
    const root = copyProject();
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const other = "11111111-2222-3333-4444-555555555555";
    writeFileSync(`${root}/${CONFIGS.webhooks}`, readText(root, CONFIGS.webhooks).replace(`database_id = "${PLACEHOLDER_DATABASE_ID}"`, `database_id = "${other}"`));
    expect(environmentProblems(readEnvironment(root, "staging"), { requireRealIds: false })).toEqual([
      `The configs that share database tickets-staging disagree on its database_id: ${CONFIGS.ticketsV100} (${PLACEHOLDER_DATABASE_ID}), ${CONFIGS.ticketsV101} (${PLACEHOLDER_DATABASE_ID}), ${CONFIGS.webhooks} (${other}). Give them all the same id, or all "${PLACEHOLDER_DATABASE_ID}" for npm run deploy to write the real one.`,
    ]);
    // Production's blocks were not touched: still in agreement.
    expect(environmentProblems(readEnvironment(root, "production"), { requireRealIds: false })).toEqual([]);
  });

  it("refuse a top-level binding or var an environment does not repeat", ({ onTestFinished }) => {
    const root = copyProject();
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const gateway = readText(root, CONFIGS.gateway);
    writeFileSync(`${root}/${CONFIGS.gateway}`, gateway.replace("[env.staging.version_metadata]", "[env.staging.not_version_metadata]").replace('\nDISPATCH_DEADLINE_MS = "5000"\nBREAKER', "\nBREAKER"));
    expect(environmentProblems(readEnvironment(root, "staging"), { requireRealIds: false })).toEqual([
      `${CONFIGS.gateway} sets version_metadata, vars.DISPATCH_DEADLINE_MS at the top level but not in [env.staging]: wrangler does not inherit them, so the staging Worker would deploy without them.`,
    ]);
  });
});

describe("parseDeployOptions", () => {
  it("reads the flags, in either form", () => {
    expect(parseDeployOptions(["--env=production", "--seed", "--dry-run"])).toEqual({ env: "production", seed: true, dryRun: true, root: ROOT });
    expect(parseDeployOptions(["-e", "staging"]).env).toBe("staging");
  });

  it("refuses what it does not know, with the usage", () => {
    expect(() => parseDeployOptions(["--force"])).toThrow('Unknown argument "--force".');
    expect(() => parseDeployOptions(["--env"])).toThrow("--env needs a value.");
  });
});

describe("readEnvironment", () => {
  it("takes the Queues, both databases (each migrated from the config that owns its migrations) and the required secrets from every config", () => {
    const production = readEnvironment(ROOT, "production");
    expect(production.queues).toEqual(
      ["reply-events", "webhook-events", "webhook-deliveries", "reply-events-dlq", "webhook-events-dlq", "webhook-deliveries-dlq"].map((q) => `${q}-production`),
    );
    expect(production.databases.map(({ name, bindings, migrationsConfig }) => ({ name, configs: bindings.map((b) => b.config), migrationsConfig }))).toEqual([
      { name: "tickets-production", configs: [CONFIGS.ticketsV100, CONFIGS.ticketsV101, CONFIGS.webhooks], migrationsConfig: CONFIGS.ticketsV100 },
      { name: "search-production", configs: [CONFIGS.search], migrationsConfig: CONFIGS.search },
    ]);
    expect(production.seedDatabase).toBe("tickets-production");
    expect(production.secrets).toEqual([{ config: CONFIGS.gateway, worker: "gateway-production", names: ["SUBSCRIPTIONS_TOKEN"] }]);
  });
});

describe("parseSecretNames", () => {
  it("reads the names of `wrangler secret list --format json`", () => {
    const list = JSON.stringify([{ name: "SUBSCRIPTIONS_TOKEN", type: "secret_text" }, { name: "OTHER", type: "secret_text" }], null, "  ");
    expect(parseSecretNames(list)).toEqual(["SUBSCRIPTIONS_TOKEN", "OTHER"]);
    expect(parseSecretNames("[]")).toEqual([]);
  });

  it("skips a line printed before the list, and refuses anything but a list", () => {
    expect(parseSecretNames('Using a token\n[\n  { "name": "A", "type": "secret_text" }\n]')).toEqual(["A"]);
    expect(() => parseSecretNames("Secret Name: A")).toThrow("did not answer with a JSON list");
  });
});

describe("secrets", () => {
  it("generates 32 random bytes as base64url, a new value each time", () => {
    const [a, b] = [generateSecret(), generateSecret()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it("hands values over in a JSON file only this user can read, removed afterwards, also when the use fails", async () => {
    let seen = "";
    const contents = await withSecretsFile({ SUBSCRIPTIONS_TOKEN: "t0ken" }, async (file) => {
      seen = file;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      return readFileSync(file, "utf8");
    });
    expect(JSON.parse(contents)).toEqual({ SUBSCRIPTIONS_TOKEN: "t0ken" });
    expect(existsSync(path.dirname(seen))).toBe(false);

    await expect(withSecretsFile({ A: "b" }, async (file) => {
      seen = file;
      throw new Error("deploy failed");
    })).rejects.toThrow("deploy failed");
    expect(existsSync(path.dirname(seen))).toBe(false);
  });
});
