// npm run deploy: the whole system to Cloudflare, in an order that never leaves a binding dangling:
// remote D1 migrations first, then every service, then the gateway that binds them.
// One-time setup (database, queues, ids in the configs) is in the README.
import { runWrangler } from "./lib/run.mjs";
import { DATABASE_NAME, DEPLOY_ORDER, MIGRATIONS_CONFIG } from "./lib/workers.mjs";

console.log(`Applying D1 migrations to the remote "${DATABASE_NAME}" database...`);
await runWrangler(["d1", "migrations", "apply", DATABASE_NAME, "--remote", "-c", MIGRATIONS_CONFIG]);

for (const config of DEPLOY_ORDER()) {
  console.log(`\nDeploying ${config}...`);
  await runWrangler(["deploy", "-c", config]);
}
console.log("\nDeployed. The gateway is the public entry; the services answer over service bindings only.");
