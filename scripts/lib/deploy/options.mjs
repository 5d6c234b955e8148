// The command line of `npm run deploy -- [--env NAME] [--dry-run] [--seed] [--root DIR]`.
import path from "node:path";
import { ROOT } from "../run.mjs";
import { DeployError } from "./deploy-error.mjs";

export const USAGE = `usage: npm run deploy -- --env staging|production [--seed] [--dry-run]
  --env NAME   the environment to deploy (an [env.NAME] of every wrangler.toml); the top level is local only
  --seed       also load the demo tickets into the remote database (INSERT OR IGNORE)
  --dry-run    print every command instead of running it, and bundle each Worker (offline, no login)
  --root DIR   the project whose configs to deploy (default: this repository; the tests use a copy)`;

/**
 * @typedef {object} DeployOptions
 * @property {string | undefined} env The environment asked for; checked against the configs later.
 * @property {boolean} dryRun
 * @property {boolean} seed
 * @property {string} root Absolute path of the project (where the configs are; wrangler's cwd).
 */

/**
 * Parses the deploy's arguments. Unknown or incomplete flags are refused with the usage.
 *
 * @example
 * ```js
 * parseDeployOptions(["--env", "staging", "--dry-run"]);
 * // { env: "staging", dryRun: true, seed: false, root: "/path/to/repo" }
 * ```
 * @param {string[]} argv The arguments after `node scripts/deploy.mjs`.
 * @returns {DeployOptions}
 */
export function parseDeployOptions(argv) {
  /** @type {DeployOptions} */
  const options = { env: undefined, dryRun: false, seed: false, root: ROOT };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = /** @type {[string, string | undefined]} */ (argv[i]?.split(/=(.*)/s) ?? []);
    const value = () => {
      const next = inline ?? argv[++i];
      if (!next || next.startsWith("-")) throw new DeployError(`${flag} needs a value.`, USAGE);
      return next;
    };
    if (flag === "--env" || flag === "-e") options.env = value();
    else if (flag === "--root") options.root = path.resolve(value());
    else if (flag === "--dry-run" && inline === undefined) options.dryRun = true;
    else if (flag === "--seed" && inline === undefined) options.seed = true;
    else throw new DeployError(`Unknown argument "${argv[i]}".`, USAGE);
  }
  return options;
}
