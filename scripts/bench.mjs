// npm run bench: measures, in one run on this machine, what dispatch, fallback and events cost.
// Part 1: requests/s and p50/p99 of GET /tickets straight to a tickets Worker, through the gateway,
// and through the gateway with tickets 1.0.1 failing half of its queries (breaker on and off).
// Part 2: the delay from POSTing a reply to seeing it in the reply feed and on its WebSocket.
// Part 3: the write path against a minimal Worker doing the same durable work.
// Part 4: a ticket's answer with 20 and with 10,000 replies (it must not grow).
// Part 5: the live feed with 500 sockets connected.
// Part 6: a reply to a webhook receiver, alone and beside a subscription that always fails.
// Part 7: the search pump: a burst of replies until the index has them all, a rebuild, queries.
// Ratios compare scenarios of the same run; absolute figures depend on the machine.
import { benchDispatch } from "./lib/bench-dispatch.mjs";
import { benchLiveScale } from "./lib/bench-live-scale.mjs";
import { benchPropagation } from "./lib/bench-propagation.mjs";
import { benchReplySize, replySizeWorkerOptions } from "./lib/bench-reply-size.mjs";
import { benchSearch, POKE_COUNTER, pokeCounterOptions } from "./lib/bench-search.mjs";
import { BENCH_SUBSCRIPTIONS_TOKEN, benchWebhooks } from "./lib/bench-webhooks.mjs";
import { benchWritePath, limitedPassThroughOptions, referenceWorkerOptions } from "./lib/bench-write-path.mjs";
import { CONFIGS, startLocalSystem, workerOptions } from "./lib/local-system.mjs";

const requests = Number(process.env.BENCH_REQUESTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const replies = Number(process.env.BENCH_REPLIES ?? 300);
const writes = Number(process.env.BENCH_WRITES ?? 800);
const sockets = Number(process.env.BENCH_SOCKETS ?? 500);
const webhookReplies = Number(process.env.BENCH_WEBHOOK_REPLIES ?? 200);
const searchReplies = Number(process.env.BENCH_SEARCH_REPLIES ?? 1000);
/** The bench's webhook receivers listen on 127.0.0.1, which only an allow-list lets through the SSRF guard. */
const LOOPBACK_RECEIVERS = { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" };

/**
 * The gateway's options with its rate limits raised out of the way: the bench posts every reply
 * from one address, far past the 60 writes a minute wrangler.toml allows one (and production keeps).
 * @param {import("miniflare").V4WorkerOptions} options
 */
const withoutRateLimits = (options) => ({
  ...options,
  ratelimits: Object.fromEntries(
    Object.entries(options.ratelimits ?? {}).map(([name, limiter]) => [name, { ...limiter, simple: { ...limiter.simple, limit: 1_000_000_000 } }]),
  ),
});

console.log("The gateway's rate limits are raised for this run (one client address posts every reply).\n");
const ticketsV100 = await workerOptions({ config: CONFIGS.ticketsV100, vars: LOOPBACK_RECEIVERS });
const mf = await startLocalSystem([
  // Its calls to search pass a counter of the pokes, for the search part.
  withoutRateLimits(await workerOptions({ config: CONFIGS.gateway, vars: { SUBSCRIPTIONS_TOKEN: BENCH_SUBSCRIPTIONS_TOKEN }, serviceBindings: { SEARCH_V1_0_0: POKE_COUNTER } })),
  ticketsV100,
  await workerOptions({ config: CONFIGS.ticketsV101, vars: { FAILURE_RATE: "0", ...LOOPBACK_RECEIVERS } }),
  await workerOptions({ config: CONFIGS.replyFeed }),
  await workerOptions({ config: CONFIGS.webhooks, vars: LOOPBACK_RECEIVERS }),
  await workerOptions({ config: CONFIGS.search }),
  pokeCounterOptions("search-1-0-0"),
  // The service-binding hop alone, for comparison: a Worker that passes each request on as is.
  {
    name: "pass-through",
    modules: true,
    script: "export default { fetch: (request, env) => env.TICKETS.fetch(request) };",
    serviceBindings: { TICKETS: "tickets-1-0-1" },
  },
  // The same with one Rate Limiting call per request, as the gateway makes for each write.
  limitedPassThroughOptions(),
  await workerOptions({ config: CONFIGS.ticketsV101, name: "tickets-1-0-1-flaky", vars: { FAILURE_RATE: "0.5" } }),
  await workerOptions({ config: CONFIGS.gateway, name: "gateway-flaky", serviceBindings: { TICKETS_V1_0_1: "tickets-1-0-1-flaky" } }),
  await workerOptions({
    config: CONFIGS.gateway,
    name: "gateway-flaky-no-breaker",
    serviceBindings: { TICKETS_V1_0_1: "tickets-1-0-1-flaky" },
    vars: { BREAKER_FAILURE_THRESHOLD: "1000000000" },
  }),
  referenceWorkerOptions(),
  ...replySizeWorkerOptions(ticketsV100),
]);
/** The parts, by the name `npm run bench -- NAME ...` runs them alone (all of them by default). */
const PARTS = {
  dispatch: () => benchDispatch(mf, { requests, concurrency, warmup: 100 }),
  propagation: () => benchPropagation(mf, { replies }),
  "write-path": () => benchWritePath(mf, { requests: writes }),
  "reply-size": () => benchReplySize(mf, { requests: 200 }),
  live: () => benchLiveScale(mf, { sockets, replies: 50, socketsVia: "gateway" }),
  webhooks: () => benchWebhooks(mf, { replies: webhookReplies }),
  search: () => benchSearch(mf, { replies: searchReplies, concurrency, queries: 300 }),
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in PARTS));
try {
  if (unknown.length > 0) throw new Error(`no bench part ${unknown.join(", ")}: the parts are ${Object.keys(PARTS).join(", ")}`);
  for (const [name, run] of Object.entries(PARTS)) if (asked.length === 0 || asked.includes(name)) await run();
} finally {
  await mf.dispose();
}
