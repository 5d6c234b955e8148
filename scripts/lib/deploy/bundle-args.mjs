// `wrangler deploy --dry-run` of one Worker: the offline bundle npm run check builds for every
// Worker and environment, and the deploy's dry run builds instead of uploading.
import path from "node:path";

/**
 * The wrangler arguments that bundle `config` (for environment `env`, or its top level) into
 * dist/[env/]WORKER under `root`, without login. The outdir is absolute: with a relative one,
 * wrangler splits files between the config's folder and the cwd.
 *
 * @example
 * ```js
 * bundleArgs("/repo", "workers/reply-feed/wrangler.toml", "staging");
 * // ["deploy", "--dry-run", "--outdir", "/repo/dist/staging/workers/reply-feed", "-c", "workers/reply-feed/wrangler.toml", "--env", "staging"]
 * ```
 * @param {string} root
 * @param {string} config Relative to root.
 * @param {string} [env]
 * @returns {string[]}
 */
export function bundleArgs(root, config, env) {
  const worker = path.dirname(config) === "." ? "gateway" : path.dirname(config);
  const outdir = path.join(root, "dist", ...(env ? [env] : []), worker);
  // `--env ""` names the top level: without it, wrangler warns that no environment was chosen.
  return ["deploy", "--dry-run", "--outdir", outdir, "-c", config, "--env", env ?? ""];
}
