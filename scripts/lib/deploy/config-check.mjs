// Checks of the configs as a deploy needs them: run by `npm run check` on the configs as
// committed (every environment), and by the deploy on the environment it deploys.
import { PLACEHOLDER_DATABASE_ID } from "./database-id.mjs";
import { DeployError } from "./deploy-error.mjs";
import { environmentNames, readConfigs, readEnvironment } from "./environment.mjs";

/**
 * Top-level keys wrangler does not inherit into an environment (wrangler 4.156's
 * `notInheritable` fields): each one the top level sets must be set again in every environment,
 * or that environment's Worker deploys without it.
 */
const NON_INHERITABLE_KEYS = [
  "agent_memory", "ai", "ai_search", "ai_search_namespaces", "analytics", "analytics_engine_datasets", "artifacts",
  "browser", "cloudchamber", "connect", "containers", "d1_databases", "define", "dispatch_namespaces",
  "durable_objects", "flagship", "hyperdrive", "images", "k2", "kv_namespaces", "media", "mtls_certificates",
  "pipelines", "queues", "r2_buckets", "ratelimits", "secrets", "secrets_store_secrets", "send_email", "services",
  "stream", "streaming_tail_consumers", "tail_consumers", "unsafe", "unsafe_hello_world", "vars", "vectorize",
  "version_metadata", "vpc_networks", "vpc_services", "worker_loaders", "workflows",
];

/**
 * What is wrong with one environment's configs, as sentences (none: fine). The configs that share
 * a database must hold the same database_id, and name the same migrations_dir if any; with
 * `requireRealIds` (the environment is about to be deployed) none may still hold the placeholder. Every non-inheritable top-level key, and every
 * top-level var, must be set in the environment too.
 *
 * @example
 * ```js
 * environmentProblems(readEnvironment("/repo", "staging"), { requireRealIds: false }); // []
 * ```
 * @param {import("./environment.mjs").Environment} environment
 * @param {{ requireRealIds: boolean }} options
 * @returns {string[]}
 */
export function environmentProblems(environment, { requireRealIds }) {
  const env = environment.name;
  const problems = [];
  for (const { name, bindings } of environment.databases) {
    const ids = new Set(bindings.map((b) => b.id));
    const list = bindings.map((b) => `${b.config} (${b.id || "no id"})`).join(", ");
    if (ids.size > 1) {
      problems.push(`The configs that share database ${name} disagree on its database_id: ${list}. Give them all the same id, or all "${PLACEHOLDER_DATABASE_ID}" for npm run deploy to write the real one.`);
    } else if (requireRealIds && ids.has(PLACEHOLDER_DATABASE_ID)) {
      problems.push(`Database ${name} still has the placeholder id "${PLACEHOLDER_DATABASE_ID}" in ${list}, so env.${env} cannot be deployed.`);
    }
    // One config applies the migrations (the first naming a folder): another folder would be ignored.
    const withDirs = bindings.filter((b) => b.migrationsDir);
    if (new Set(withDirs.map((b) => b.migrationsDir)).size > 1) {
      problems.push(`The configs that share database ${name} name different migrations_dir folders: ${withDirs.map((b) => `${b.config} (${b.migrationsDir})`).join(", ")}. A database has one schema: name the same folder in each.`);
    }
  }
  for (const [config, raw] of environment.configs) {
    const missing = NON_INHERITABLE_KEYS.filter((key) => raw[key] !== undefined && raw.env[env][key] === undefined);
    // vars are not inherited one by one either (wrangler warns about each).
    const vars = Object.keys(raw.vars ?? {}).filter((name) => raw.env[env].vars && !(name in raw.env[env].vars));
    missing.push(...vars.map((name) => `vars.${name}`));
    if (missing.length > 0) {
      problems.push(`${config} sets ${missing.join(", ")} at the top level but not in [env.${env}]: wrangler does not inherit them, so the ${env} Worker would deploy without them.`);
    }
  }
  return problems;
}

/**
 * Refuses (throws a DeployError listing every problem) when an environment's configs are not fit
 * to deploy: see environmentProblems.
 *
 * @example
 * ```js
 * assertEnvironmentConfigs(readEnvironment("/repo", "production"), { requireRealIds: true });
 * ```
 * @param {import("./environment.mjs").Environment} environment
 * @param {{ requireRealIds: boolean }} options
 */
export function assertEnvironmentConfigs(environment, options) {
  const problems = environmentProblems(environment, options);
  if (problems.length > 0) throw new DeployError(problems.join("\n  "));
}

/**
 * `npm run check`'s look at the configs as committed: every environment they declare, with the
 * placeholder allowed (an environment not deployed yet has no id). Returns the environment names.
 *
 * @example
 * ```js
 * checkAllEnvironments("/repo"); // ["staging", "production"], or throws a DeployError
 * ```
 * @param {string} root
 * @returns {string[]}
 */
export function checkAllEnvironments(root) {
  const names = environmentNames(readConfigs(root));
  const problems = names.flatMap((name) => environmentProblems(readEnvironment(root, name), { requireRealIds: false }));
  if (problems.length > 0) throw new DeployError(problems.join("\n  "));
  return names;
}
