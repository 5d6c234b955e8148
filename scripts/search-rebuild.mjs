// npm run search:rebuild [-- URL]: rebuilds the search index of a running system from sequence 0
// (POST /search/rebuild through the gateway, with the management token), then follows
// GET /search/status until the pump has caught up with the change log again. URL defaults to
// npm start's; the token is SUBSCRIPTIONS_TOKEN from the environment, else the local .dev.vars.
import { managementToken } from "./lib/dev-vars.mjs";
import { waitForCatchUp } from "./lib/search-status.mjs";

const base = (process.argv[2] ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
// A deployed gateway has its own token: set SUBSCRIPTIONS_TOKEN. Locally npm start wrote one.
const token = managementToken(base);

const started = performance.now();
const res = await fetch(`${base}/search/rebuild`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
console.log(`POST ${base}/search/rebuild → ${res.status}\n${await res.text()}`);
if (!res.ok) {
  if (res.status === 401) console.error("The token was refused: set SUBSCRIPTIONS_TOKEN to the gateway's (npm run deploy printed it on the first deploy).");
  process.exit(1);
}

let printed = "";
const { status } = await waitForCatchUp(globalThis, base, {
  pollMs: 250,
  // One line per change of state or checkpoint, not one per poll.
  onStatus: ({ state, checkpoint, head, lagChanges }) => {
    const line = `  ${state}: checkpoint ${checkpoint} of ${head ?? "?"} (${lagChanges ?? "?"} to go)`;
    if (line !== printed) console.log((printed = line));
  },
});
console.log(`Rebuilt: ${status.checkpoint} changes in the index, in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
