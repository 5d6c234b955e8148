// npm run demo [-- URL]: tells the story of the system through its public API, in under a minute.
// Starts the system itself (like `npm start`, on a free port) unless given the URL of a running one.
import { demoClient, section } from "./lib/demo-client.mjs";
import { demoEvents } from "./lib/demo-events.mjs";
import { demoFallback, demoNoServiceAvailable } from "./lib/demo-fallback.mjs";
import { demoWebhooks } from "./lib/demo-webhooks.mjs";
import { startDevSystem } from "./lib/dev-system.mjs";

const givenUrl = process.argv[2] ?? process.env.DEMO_URL;
console.log(givenUrl ? `Using the system at ${givenUrl}` : "Starting the system (wrangler dev, fresh local state)...");
const starting = Date.now();
const system = givenUrl ? { base: givenUrl.replace(/\/$/, ""), stop: async () => {} } : await startDevSystem("demo");
if (!givenUrl) console.log(`Ready in ${((Date.now() - starting) / 1000).toFixed(1)} s.`);
const started = Date.now();
let failed = false;
try {
  const api = demoClient(system.base);
  section("1. One database, two versions", `The gateway at ${system.base} is the only public Worker.`);
  const { body: tickets, servedBy } = await api.call("/tickets");
  console.log(`GET /tickets → ${tickets.length} tickets, served by ${servedBy}:`);
  // replyCount is every reply of the ticket; `replies` holds only its latest 20.
  for (const t of tickets) console.log(`  ${t.id}  ${t.title.padEnd(24)} ${t.replyCount} repl${t.replyCount === 1 ? "y" : "ies"}`);
  console.log("Both tickets Workers read and write these rows in one shared D1 database.");

  await demoFallback(api);
  await demoEvents(api, system.base);
  await demoWebhooks(system.base);
  await demoNoServiceAvailable(api);
} catch (err) {
  failed = true;
  console.error(`\nThe demo stopped: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await system.stop();
}
console.log(`\n${failed ? "Demo failed" : "Done"} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
process.exit(failed ? 1 : 0);
