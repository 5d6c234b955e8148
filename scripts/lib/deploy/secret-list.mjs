// Which secrets a deployed Worker already has, as `wrangler secret list` reports them (names only:
// Cloudflare never gives a secret's value back).
import { DeployError } from "./deploy-error.mjs";

/**
 * How wrangler 4.156 says the Worker does not exist (its `secret list` turns the API's 10007 into
 * this sentence); the bare API error's code, should another version print that instead.
 */
const WORKER_NOT_FOUND = /Worker "[^"]*"(?: \(env: [^)]*\))? not found|\[code: 10007\]/;

/**
 * The secret names in `wrangler secret list --format json` output: a JSON array of
 * `{ name, type }`. Read from the first line that opens the array, so a line printed before it
 * does not matter.
 *
 * @example
 * ```js
 * parseSecretNames('[\n  { "name": "SUBSCRIPTIONS_TOKEN", "type": "secret_text" }\n]'); // ["SUBSCRIPTIONS_TOKEN"]
 * ```
 * @param {string} output
 * @returns {string[]}
 */
export function parseSecretNames(output) {
  const start = output.search(/^\s*\[/m);
  /** @type {unknown} */
  let list;
  try {
    list = JSON.parse(start < 0 ? output : output.slice(start));
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) throw new DeployError("`wrangler secret list --format json` did not answer with a JSON list; its output is above.");
  return list.map((secret) => secret?.name).filter((name) => typeof name === "string");
}

/**
 * The names of the secrets the Worker of `config` has in environment `env`. A Worker that does
 * not exist yet has none (that is a first deploy, not a failure); any other failure stops the
 * deploy, since reading it as "none" would replace a secret someone relies on. Null in a dry run.
 *
 * @example
 * ```js
 * await listSecretNames(wrangler, "wrangler.toml", "staging"); // ["SUBSCRIPTIONS_TOKEN"], or [] before the first deploy
 * ```
 * @param {import("./wrangler-on-path.mjs").Wrangler} wrangler
 * @param {string} config
 * @param {string} env
 * @returns {Promise<string[] | null>}
 */
export async function listSecretNames(wrangler, config, env) {
  const args = ["secret", "list", "-c", config, "--env", env, "--format", "json"];
  const done = await wrangler.attempt(args);
  if (done === null) return null;
  if (done.status === 0) return parseSecretNames(done.stdout);
  if (WORKER_NOT_FOUND.test(done.stderr)) return [];
  process.stderr.write(done.stderr);
  throw wrangler.failed(args, done.status);
}
