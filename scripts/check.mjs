// npm run check (after the type check): the configs' environments are consistent (a database's
// id agrees across the configs that share it, every non-inheritable key is mirrored), then every
// Worker is bundled with `wrangler deploy --dry-run`, its top level (local) and each environment,
// offline and without login, so a config or an entry that could not deploy fails here (and in CI).
import { bundleArgs } from "./lib/deploy/bundle-args.mjs";
import { checkAllEnvironments } from "./lib/deploy/config-check.mjs";
import { DeployError } from "./lib/deploy/deploy-error.mjs";
import { ROOT, runWrangler } from "./lib/run.mjs";
import { WORKER_CONFIGS } from "./lib/workers.mjs";

/** @type {string[]} */
let environments;
try {
  environments = checkAllEnvironments(ROOT);
} catch (err) {
  if (!(err instanceof DeployError)) throw err;
  console.error(`✘ ${err.message}${err.hint ? `\n  ${err.hint}` : ""}`);
  process.exit(1);
}
console.log(`Configs: environments ${environments.join(", ")} are consistent.`);

for (const env of [undefined, ...environments]) {
  for (const config of WORKER_CONFIGS) {
    console.log(`\n== ${config}${env ? ` --env ${env}` : ""}`);
    await runWrangler(bundleArgs(ROOT, config, env));
  }
}
console.log(`\nAll ${WORKER_CONFIGS.length} Workers bundle, locally and in ${environments.join(" and ")}, and their configs are valid.`);
