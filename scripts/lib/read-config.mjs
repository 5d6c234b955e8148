// One Worker's wrangler config, resolved the way wrangler resolves it (environment inheritance included).
import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { ROOT } from "./run.mjs";

/**
 * Reads the config at `config` (relative to the repository root), for `env` or the top level.
 *
 * @example
 * ```js
 * readWorkerConfig("wrangler.toml").services; // the gateway's service bindings
 * readWorkerConfig("wrangler.toml", "staging").ratelimits;
 * ```
 * @param {string} config
 * @param {string} [env]
 */
export const readWorkerConfig = (config, env) => unstable_readConfig({ config: path.join(ROOT, config), env });
