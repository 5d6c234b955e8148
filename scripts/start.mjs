// npm start: the whole system on this machine, on seeded local data, in one `wrangler dev`.
import path from "node:path";
import { prepareLocalDevVars } from "./lib/dev-vars.mjs";
import { writeFailureRateConfig } from "./lib/failure-rate-config.mjs";
import { CONFIGS, DATABASE_NAME, MIGRATIONS_CONFIG, PERSIST_DIR, SEED_FILE, WORKER_CONFIGS } from "./lib/workers.mjs";
import { startLocalCrons } from "./lib/local-crons.mjs";
import { runWrangler, startWrangler } from "./lib/run.mjs";
import { waitUntilReady } from "./lib/wait-ready.mjs";

const port = process.env.PORT ?? "8787";

console.log("Applying D1 migrations and seed data to the local database (idempotent)...");
const local = [DATABASE_NAME, "--local", "--persist-to", PERSIST_DIR, "-c", MIGRATIONS_CONFIG];
await runWrangler(["d1", "migrations", "apply", ...local]);
// The seed is not a migration (a deployed database starts without it): INSERT OR IGNORE, every
// start. Its stdout is a JSON result per statement, noise here; errors still show on stderr.
await runWrangler(["d1", "execute", ...local, "--file", SEED_FILE], { stdio: ["inherit", "ignore", "inherit"] });
// The search Worker's own database (the read model its pump fills), from its own config's migrations.
await runWrangler(["d1", "migrations", "apply", "search", "--local", "--persist-to", PERSIST_DIR, "-c", CONFIGS.search]);

// The subscription token and the loopback allow-list for local webhook receivers (.dev.vars).
const token = prepareLocalDevVars();

// TICKETS_V1_0_1_FAILURE_RATE (startDevSystem's option, for tests): this run's own rate for 1.0.1,
// through a copy of its config beside the state (see failure-rate-config.mjs).
const failureRate = process.env.TICKETS_V1_0_1_FAILURE_RATE;
const configs = failureRate
  ? WORKER_CONFIGS.map((config) => (config === CONFIGS.ticketsV101 ? writeFailureRateConfig(path.join(PERSIST_DIR, "tickets-v1.0.1-config"), failureRate) : config))
  : WORKER_CONFIGS;

console.log(`\nStarting ${WORKER_CONFIGS.length} Workers in one wrangler dev (local state in ${PERSIST_DIR}):`);
console.log(`  gateway      http://127.0.0.1:${port}  (the public API: try /tickets, /latestReplies, /services)`);
for (const config of WORKER_CONFIGS.slice(1)) console.log(`  ${config.padEnd(40)} service bindings only`);
if (failureRate) console.log(`tickets 1.0.1 fails at FAILURE_RATE ${failureRate} in this run (TICKETS_V1_0_1_FAILURE_RATE).`);
console.log(`Webhook subscriptions (/subscriptions) take  Authorization: Bearer ${token}  (from .dev.vars).`);
console.log("Stop with Ctrl-C.\n");

const dev = startWrangler([
  "dev",
  ...configs.flatMap((config) => ["-c", config]),
  "--port", port,
  "--ip", "127.0.0.1",
  "--persist-to", PERSIST_DIR,
  // The gateway relays the services' cron triggers, which wrangler dev does not fire (see below).
  "--var", "LOCAL_CRON_RELAY:true",
]);
let exited = false;
dev.on("exit", (code) => {
  exited = true;
  process.exit(code ?? 0);
});

// Each service's crons, through the gateway: once now (after a crash this re-drives the outbox
// and reconciles the feed), then on their schedules.
const base = `http://127.0.0.1:${port}`;
try {
  await waitUntilReady(base, { exited: () => exited, logFile: "the output above" });
} catch (err) {
  // Never leave a wrangler dev behind that nobody is waiting for.
  console.error(`\nnpm start: ${err instanceof Error ? err.message : String(err)}`);
  dev.kill("SIGINT");
  process.exit(1);
}
const crons = await startLocalCrons(base);
console.log(`\nCron triggers fired once at start-up and then on schedule: ${crons.entries.map(({ worker, cron }) => `${worker} "${cron}"`).join(", ")}.`);
process.on("exit", () => crons.stop());
