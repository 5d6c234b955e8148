// Deploys the environment's Workers: every service before the Workers that bind it, the gateway
// last, so no binding ever points at a Worker that is not there yet.
import { DEPLOY_ORDER, GATEWAY_CONFIG } from "../workers.mjs";
import { bundleArgs } from "./bundle-args.mjs";
import { deployWithSecrets } from "./secrets-file.mjs";

/**
 * Runs `wrangler deploy -c CONFIG --env ENV` for each Worker in DEPLOY_ORDER, with the secrets
 * planned for it (planSecrets), showing wrangler's output, and returns the gateway's (it holds the
 * public URL). A dry run bundles each Worker instead (offline) and returns null.
 *
 * @example
 * ```js
 * const environment = readEnvironment("/repo", "staging");
 * const gatewayOutput = await deployWorkers(wrangler, environment, await planSecrets(wrangler, environment));
 * ```
 * @param {import("./wrangler-on-path.mjs").Wrangler} wrangler
 * @param {import("./environment.mjs").Environment} environment
 * @param {import("./secrets.mjs").SecretUpload[]} secrets
 * @returns {Promise<string | null>}
 */
export async function deployWorkers(wrangler, { root, name }, secrets) {
  let gatewayOutput = null;
  for (const config of DEPLOY_ORDER()) {
    const upload = secrets.find((u) => u.config === config);
    const output = await deployWithSecrets(wrangler, ["deploy", "-c", config, "--env", name], upload, { capture: true, echo: true });
    if (config === GATEWAY_CONFIG) gatewayOutput = output;
    if (wrangler.dryRun) {
      const bundled = await wrangler.run(bundleArgs(root, config, name), { capture: true, offline: true, note: "what the dry run does instead" });
      console.log(`    ${bundled?.match(/^Total Upload: .*$/m)?.[0] ?? "bundled"}`);
    }
  }
  return gatewayOutput;
}
