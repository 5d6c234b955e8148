// What one deployed environment is made of, read from the Workers' own wrangler.toml files: the
// configs are the one place where the database, Queue and Worker names of an environment are
// written, and the deploy creates what they name.
import path from "node:path";
import { experimental_readRawConfig } from "wrangler";
import { CONFIGS, MIGRATIONS_CONFIG, WORKER_CONFIGS } from "../workers.mjs";
import { DeployError } from "./deploy-error.mjs";

/**
 * The var holding the database's location hint: the feed object is placed beside the database,
 * so both follow this one value.
 */
const LOCATION_HINT = { config: CONFIGS.replyFeed, variable: "FEED_LOCATION_HINT" };

/**
 * @typedef {Record<string, any>} RawConfig A wrangler.toml as written (top level and `env`).
 *
 * @typedef {object} DatabaseBinding
 * @property {string} config The config, relative to the root.
 * @property {string} id Its database_id, as written.
 * @property {string} migrationsDir Its migrations_dir, relative to the root ("" when it names none).
 *
 * @typedef {object} Database
 * @property {string} name database_name
 * @property {DatabaseBinding[]} bindings Every config of the environment that binds it.
 * @property {string | undefined} migrationsConfig The config its remote migrations are applied
 *   with: the first binding it with a migrations_dir (undefined: none does, nothing to apply).
 *
 * @typedef {object} WorkerSecrets
 * @property {string} config The config, relative to the root.
 * @property {string} worker The Worker's name in the environment (what `wrangler secret list` lists).
 * @property {string[]} names Its `secrets.required`: wrangler refuses to deploy it without them.
 *
 * @typedef {object} Environment
 * @property {string} name
 * @property {string} root
 * @property {Map<string, RawConfig>} configs Every Worker config, by path relative to the root.
 * @property {Database[]} databases
 * @property {string[]} queues Every Queue produced to, consumed, or named as a dead letter queue.
 * @property {WorkerSecrets[]} secrets Every Worker of the environment that requires secrets.
 * @property {string} locationHint Where every database is created (the feed object's hint too).
 * @property {string} seedDatabase The database MIGRATIONS_CONFIG binds: the tickets one, which `--seed` seeds.
 */

/**
 * Every Worker config of the project at `root`, as written.
 *
 * @example
 * ```js
 * readConfigs("/repo").get("wrangler.toml")?.name; // "gateway"
 * ```
 * @param {string} root
 * @returns {Map<string, RawConfig>}
 */
export function readConfigs(root) {
  return new Map(WORKER_CONFIGS.map((config) => [config, experimental_readRawConfig({ config: path.join(root, config) }).rawConfig]));
}

/**
 * The environments the configs declare. Every config must declare the same ones: an environment
 * missing from one config would deploy that Worker with its local (top-level) settings.
 *
 * @example
 * ```js
 * environmentNames(readConfigs("/repo")); // ["staging", "production"]
 * ```
 * @param {Map<string, RawConfig>} configs
 * @returns {string[]}
 */
export function environmentNames(configs) {
  const [first, ...others] = [...configs].map(([config, raw]) => ({ config, names: Object.keys(raw.env ?? {}) }));
  if (!first) return [];
  for (const { config, names } of others) {
    if (names.join() !== first.names.join()) {
      throw new DeployError(
        `${config} declares the environments [${names.join(", ")}] but ${first.config} declares [${first.names.join(", ")}].`,
        "Every wrangler.toml needs the same [env.NAME] sections, in the same order.",
      );
    }
  }
  return first.names;
}

/**
 * The name a config's Worker has in environment `env`: its own `name` there, else wrangler's
 * default for an environment (the top-level name, then `-ENV`).
 *
 * @example
 * ```js
 * workerName(readConfigs("/repo").get("wrangler.toml"), "staging"); // "gateway-staging"
 * ```
 * @param {RawConfig} raw
 * @param {string} env
 * @returns {string}
 */
export const workerName = (raw, env) => raw.env?.[env]?.name ?? `${raw.name}-${env}`;

/**
 * Reads one environment from the configs; refuses a name the configs do not declare (wrangler
 * itself would silently fall back to the top level, the local settings).
 *
 * @example
 * ```js
 * const staging = readEnvironment("/repo", "staging");
 * staging.databases.map((d) => `${d.name} from ${d.migrationsConfig}`);
 * // ["tickets-staging from workers/tickets/v1.0.0/wrangler.toml", "search-staging from workers/search/wrangler.toml"]
 * staging.queues; // ["reply-events-staging", "webhook-events-staging", ..., "webhook-deliveries-dlq-staging"]
 * staging.secrets; // [{ config: "wrangler.toml", worker: "gateway-staging", names: ["SUBSCRIPTIONS_TOKEN"] }]
 * ```
 * @param {string} root
 * @param {string | undefined} name
 * @returns {Environment}
 */
export function readEnvironment(root, name) {
  const configs = readConfigs(root);
  const names = environmentNames(configs);
  const choice = `Pick one: ${names.map((n) => `\`npm run deploy -- --env ${n}\``).join(" or ")}. The top level of the configs is for local development and is not deployed.`;
  if (name === undefined) throw new DeployError("No environment given.", choice);
  if (!names.includes(name)) throw new DeployError(`Unknown environment "${name}": the configs declare ${names.join(", ")}.`, choice);

  /** @type {Map<string, Database>} */
  const databases = new Map();
  /** @type {Set<string>} */
  const queues = new Set();
  /** @type {WorkerSecrets[]} */
  const secrets = [];
  for (const [config, raw] of configs) {
    const env = raw.env[name];
    // `secrets` is not inherited: the environment's own list is the one wrangler enforces.
    const required = env.secrets?.required ?? [];
    if (required.length > 0) secrets.push({ config, worker: workerName(raw, name), names: required });
    for (const { database_name: databaseName, database_id: id, migrations_dir: dir } of env.d1_databases ?? []) {
      /** @type {Database} */
      const database = databases.get(databaseName) ?? { name: databaseName, bindings: [], migrationsConfig: undefined };
      // Relative to the config's folder, as wrangler reads it; compared across configs from the root.
      const migrationsDir = dir ? path.join(path.dirname(config), dir) : "";
      database.bindings.push({ config, id: String(id ?? ""), migrationsDir });
      // The configs are read in WORKER_CONFIGS order: tickets 1.0.0 migrates the tickets database.
      if (migrationsDir) database.migrationsConfig ??= config;
      databases.set(databaseName, database);
    }
    for (const producer of env.queues?.producers ?? []) queues.add(producer.queue);
    for (const consumer of env.queues?.consumers ?? []) {
      queues.add(consumer.queue);
      if (consumer.dead_letter_queue) queues.add(consumer.dead_letter_queue);
    }
  }
  const locationHint = configs.get(LOCATION_HINT.config)?.env[name].vars?.[LOCATION_HINT.variable];
  if (typeof locationHint !== "string") {
    throw new DeployError(`${LOCATION_HINT.config} has no ${LOCATION_HINT.variable} in [env.${name}.vars]: the database's location hint is read from there.`);
  }
  const seedDatabase = configs.get(MIGRATIONS_CONFIG)?.env[name].d1_databases?.[0]?.database_name;
  if (typeof seedDatabase !== "string") throw new DeployError(`${MIGRATIONS_CONFIG} binds no D1 database in [env.${name}].`);
  return { name, root, configs, databases: [...databases.values()], queues: [...queues], secrets, locationHint, seedDatabase };
}
