// npm run deploy -- --env staging|production [--seed] [--dry-run]: the whole system to one
// Cloudflare environment, from a fresh account (after `wrangler login`) or over a deployed one.
// Every step is idempotent (find or create; migrations apply what is missing; a Worker's required
// secret is kept, or sent from the environment, or generated only when the Worker lacks it;
// deploys replace), so after a failure the same command resumes. The steps live in scripts/lib/deploy/.
import { assertEnvironmentConfigs } from "./lib/deploy/config-check.mjs";
import { ensureDatabase } from "./lib/deploy/d1-database.mjs";
import { writeDatabaseId } from "./lib/deploy/database-id.mjs";
import { DeployError } from "./lib/deploy/deploy-error.mjs";
import { deployWorkers } from "./lib/deploy/deploy-workers.mjs";
import { readEnvironment } from "./lib/deploy/environment.mjs";
import { parseDeployedUrl, waitForHealth } from "./lib/deploy/health.mjs";
import { requireLogin } from "./lib/deploy/login.mjs";
import { parseDeployOptions } from "./lib/deploy/options.mjs";
import { ensureQueues } from "./lib/deploy/queues.mjs";
import { planSecrets, printGeneratedSecrets } from "./lib/deploy/secrets.mjs";
import { createWrangler } from "./lib/deploy/wrangler-on-path.mjs";
import { MIGRATIONS_CONFIG, SEED_FILE } from "./lib/workers.mjs";

/** The step under way, for the message should it fail. */
let step = "";
/** @param {string} name */
const begin = (name) => console.log(`\n== ${(step = name)}`);

async function deploy() {
  const options = parseDeployOptions(process.argv.slice(2));
  let environment = readEnvironment(options.root, options.env);
  const env = environment.name;
  // Configs that disagree are refused before anything is created.
  assertEnvironmentConfigs(environment, { requireRealIds: false });
  const wrangler = createWrangler({ root: options.root, dryRun: options.dryRun });
  console.log(`Deploying env.${env}${options.dryRun ? " as a dry run: commands are printed, not run; each Worker is bundled, offline" : ""}.`);

  begin("Login");
  const who = await requireLogin(wrangler);
  if (who) console.log(`  logged in: ${who}`);

  for (const { name, bindings } of environment.databases) {
    begin(`D1 database ${name}`);
    const id = await ensureDatabase(wrangler, { name, locationHint: environment.locationHint });
    const configs = id ? writeDatabaseId(environment, name, id) : bindings.map((b) => b.config);
    const written = id ? (configs.length ? `written into ${configs.join(", ")}` : "already in every config that binds it") : `the id it reports goes into ${configs.join(", ")}`;
    console.log(`  database_id: ${written}`);
  }

  begin("Queues");
  await ensureQueues(wrangler, environment.queues);

  // The configs as they now are on disk: nothing deploys while one still lacks the real id.
  environment = readEnvironment(options.root, env);
  if (!options.dryRun) assertEnvironmentConfigs(environment, { requireRealIds: true });

  // Each database from the config that owns its migrations: the tickets schema, then search's.
  for (const { name, migrationsConfig } of environment.databases) {
    if (!migrationsConfig) continue;
    begin(`Schema migrations of ${name}`);
    await wrangler.run(["d1", "migrations", "apply", name, "--remote", "-c", migrationsConfig, "--env", env]);
  }
  if (options.seed) {
    begin("Demo seed (asked for with --seed)");
    await wrangler.run(["d1", "execute", environment.seedDatabase, "--remote", "-c", MIGRATIONS_CONFIG, "--env", env, "--file", SEED_FILE, "--yes"]);
  }

  begin("Secrets");
  const secrets = await planSecrets(wrangler, environment);
  // A generated secret is printed once the Workers step has sent it, however the deploy ends:
  // a later failure must not lose the one copy.
  try {
    await deployAndCheck(wrangler, environment, secrets);
  } finally {
    printGeneratedSecrets(secrets);
  }
}

/**
 * The Workers step and the gateway's health check (or, in a dry run, what they would do).
 * @param {import("./lib/deploy/wrangler-on-path.mjs").Wrangler} wrangler
 * @param {import("./lib/deploy/environment.mjs").Environment} environment
 * @param {import("./lib/deploy/secrets.mjs").SecretUpload[]} secrets
 */
async function deployAndCheck(wrangler, environment, secrets) {
  const env = environment.name;
  begin("Workers");
  const gatewayOutput = await deployWorkers(wrangler, environment, secrets);

  begin("Health");
  if (gatewayOutput === null) {
    console.log("  GET <the workers.dev URL wrangler deploy prints for the gateway>/health   # dry run: not run");
    console.log(`\nDry run of env.${env} done: every Worker bundles (in dist/${env}/). Nothing was created or deployed.`);
    return;
  }
  const url = parseDeployedUrl(gatewayOutput);
  if (!url) throw new DeployError("The gateway deployed, but wrangler printed no URL for it.", "Is workers_dev still on in wrangler.toml? The gateway is the public entry.");
  const health = await waitForHealth(url).catch((/** @type {Error} */ err) => {
    throw new DeployError(
      `Every Worker is deployed, but ${url}/health did not answer as the gateway (${err.message}).`,
      `A first deploy's workers.dev subdomain can take a few minutes to resolve: try \`curl ${url}/health\` shortly. Deploying again is safe.`,
    );
  });
  console.log(`  ${JSON.stringify(health)}`);
  console.log(`\nDeployed env.${env}. The gateway (the public entry; the services answer over service bindings only):\n\n  ${url}\n`);
}

await deploy().catch((err) => {
  if (!(err instanceof DeployError)) throw err;
  console.error(`\n✘ ${err.message}`);
  if (err.hint) console.error(`  ${err.hint}`);
  // A refusal at login or a gateway not answering yet: there is nothing to resume.
  if (step && step !== "Login" && step !== "Health") {
    console.error(`  Stopped in "${step}": nothing after it ran. Every step is idempotent: once the cause is fixed, the same command resumes.`);
  }
  process.exitCode = 1;
});
