// The database id in the configs. Cloudflare assigns it when the database is created; every
// config that binds that database must hold it, so one function writes it into all of them.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DeployError } from "./deploy-error.mjs";

/** What a committed config holds until the first deploy of its environment writes the real id. */
export const PLACEHOLDER_DATABASE_ID = "set-by-npm-run-deploy";

/** @param {string} text */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Sets the database_id line of the `[[env.ENV.d1_databases]]` block that names `databaseName`,
 * and nothing else: comments, order and every other line stay as they are.
 *
 * @example
 * ```js
 * const toml = '[[env.staging.d1_databases]]\nbinding = "DB"\ndatabase_name = "tickets-staging"\ndatabase_id = "set-by-npm-run-deploy" # the id\n';
 * setDatabaseIdInToml(toml, "staging", "tickets-staging", "d3b07384-d113-4ec6-a8b4-5c0f1e2a9b7c");
 * // '... database_id = "d3b07384-d113-4ec6-a8b4-5c0f1e2a9b7c" # the id\n'
 * ```
 * @param {string} toml
 * @param {string} env
 * @param {string} databaseName
 * @param {string} id
 * @returns {string} The new text; throws when there is not exactly one such block with a database_id line.
 */
export function setDatabaseIdInToml(toml, env, databaseName, id) {
  const lines = toml.split("\n");
  const header = new RegExp(`^\\s*\\[\\[\\s*env\\.("?)${escape(env)}\\1\\.d1_databases\\s*\\]\\]\\s*(#.*)?$`);
  const nameLine = new RegExp(`^\\s*database_name\\s*=\\s*"${escape(databaseName)}"\\s*(#.*)?$`);
  const idLine = /^(\s*database_id\s*=\s*)"[^"]*"(.*)$/;
  /** @type {number[]} */
  const matches = [];
  for (let start = 0; start < lines.length; start++) {
    if (!header.test(/** @type {string} */ (lines[start]))) continue;
    // The block runs to the next table header.
    let end = start + 1;
    while (end < lines.length && !/^\s*\[/.test(/** @type {string} */ (lines[end]))) end++;
    const block = lines.slice(start + 1, end);
    const idAt = block.findIndex((line) => idLine.test(line));
    if (block.some((line) => nameLine.test(line)) && idAt >= 0) matches.push(start + 1 + idAt);
  }
  if (matches.length !== 1) {
    throw new DeployError(
      `Found ${matches.length} [[env.${env}.d1_databases]] blocks with database_name = "${databaseName}" and a database_id line, expected 1.`,
      "Keep one such block per config, in that form (a header line, then key = value lines).",
    );
  }
  const at = /** @type {number} */ (matches[0]);
  lines[at] = /** @type {string} */ (lines[at]).replace(idLine, (_, key, rest) => `${key}"${id}"${rest}`);
  return lines.join("\n");
}

/**
 * Writes `id`, as Cloudflare reports it, into every config of the environment that binds the
 * database. Returns the configs whose file changed (none when they already held it).
 *
 * @example
 * ```js
 * const env = readEnvironment("/repo", "staging");
 * writeDatabaseId(env, "tickets-staging", "d3b07384-d113-4ec6-a8b4-5c0f1e2a9b7c");
 * // ["workers/tickets/v1.0.0/wrangler.toml", "workers/tickets/v1.0.1/wrangler.toml"] the first time, [] after
 * ```
 * @param {import("./environment.mjs").Environment} environment
 * @param {string} databaseName
 * @param {string} id
 * @returns {string[]}
 */
export function writeDatabaseId(environment, databaseName, id) {
  const database = environment.databases.find((d) => d.name === databaseName);
  if (!database) throw new DeployError(`No config of env.${environment.name} binds a database named ${databaseName}.`);
  // Every file is edited in memory first, so a config that cannot be edited leaves none changed.
  const edits = database.bindings.map(({ config }) => {
    const file = path.join(environment.root, config);
    const before = readFileSync(file, "utf8");
    try {
      return { config, file, before, after: setDatabaseIdInToml(before, environment.name, databaseName, id) };
    } catch (err) {
      if (err instanceof DeployError) err.message = `${config}: ${err.message}`;
      throw err;
    }
  });
  const changed = edits.filter(({ before, after }) => before !== after);
  for (const { file, after } of changed) writeFileSync(file, after);
  return changed.map(({ config }) => config);
}
