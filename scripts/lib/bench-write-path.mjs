// Bench part: the write path (POST a reply) through the gateway against a minimal Worker doing
// the same durable work (scripts/bench/reference-worker.js), at 1 and at 8 in flight; also
// through the gateway with one webhook subscription active, which every reply then goes to. Three
// more scenarios take the gap apart: tickets called directly, behind a Worker that only passes the
// request on (the service-binding hop), and behind one that also calls a Rate Limiting binding
// once, as the gateway does for every write.
import path from "node:path";
import { percentile } from "./bench-dispatch.mjs";
import { inFlight } from "./bench-load.mjs";
import { startReceiver, subscribe, unsubscribe } from "./bench-webhooks.mjs";
import { pollUntil } from "./poll-until.mjs";
import { ROOT } from "./run.mjs";

const TICKET = "55e633dcfa7864d21a226053";
/** Scenarios take turns, a share of the requests at a time, so drift in the machine hits them alike. */
const ROUNDS = 8;

/**
 * Miniflare options of the reference Worker: its own D1 database, Queue and Durable Object.
 * @returns {import("miniflare").V4WorkerOptions}
 */
export const referenceWorkerOptions = () => ({
  name: "write-path-reference",
  modules: true,
  scriptPath: path.join(ROOT, "scripts/bench/reference-worker.js"),
  compatibilityDate: "2026-11-01",
  d1Databases: { DB: "write-path-reference-db" },
  durableObjects: { FEED: "ReferenceFeed" },
  queueProducers: { EVENTS: "write-path-reference-events" },
  queueConsumers: { "write-path-reference-events": { maxBatchTimeout: 0, maxBatchSize: 10 } },
});

/** The pass-through Worker that also counts each request with a Rate Limiting binding. */
const LIMITED_PASS_THROUGH = "pass-through-rate-limited";

/**
 * Miniflare options of {@link LIMITED_PASS_THROUGH}: one `limit()` (a limit nobody reaches), then
 * the request on to tickets 1.0.1 as is. What it costs beyond the plain pass-through Worker is the
 * binding as this Miniflare runs it (a Durable Object keeping its counters in SQLite on disk).
 * @returns {import("miniflare").V4WorkerOptions}
 */
export const limitedPassThroughOptions = () => ({
  name: LIMITED_PASS_THROUGH,
  modules: true,
  script: `export default {
  async fetch(request, env) {
    await env.LIMITER.limit({ key: "bench" });
    return env.TICKETS.fetch(request);
  },
};`,
  serviceBindings: { TICKETS: "tickets-1-0-1" },
  ratelimits: { LIMITER: { namespace_id: "9001", simple: { limit: 1_000_000_000, period: 60 } } },
});

/**
 * The scenarios, in the order they take turns and are printed: the Worker each posts to, and
 * whether a webhook subscription is active during its rounds.
 * @type {{ key: string, label: string, worker: string, subscribed?: boolean }[]}
 */
const SCENARIOS = [
  { key: "gateway", label: "through the gateway", worker: "gateway" },
  { key: "subscribed", label: "through the gateway, one subscription active", worker: "gateway", subscribed: true },
  { key: "limitedHop", label: "pass-through + one limit() → tickets 1.0.1", worker: LIMITED_PASS_THROUGH },
  { key: "hop", label: "pass-through Worker → tickets 1.0.1 (the hop)", worker: "pass-through" },
  { key: "tickets", label: "straight to tickets 1.0.1", worker: "tickets-1-0-1" },
  { key: "reference", label: "reference Worker", worker: "write-path-reference" },
];

/**
 * A Worker as Miniflare hands it to Node: only what the bench calls.
 * @typedef {{ fetch: (url: string, init?: { method: string, headers: Record<string, string>, body: string }) => Promise<{ status: number, arrayBuffer(): Promise<ArrayBuffer> }> }} BenchWorker
 */

/**
 * POSTs `count` replies to `worker` with `concurrency` in flight.
 * @param {BenchWorker} worker
 * @param {number} count
 * @param {number} concurrency
 */
async function postReplies(worker, count, concurrency) {
  const { latencies, seconds, results } = await inFlight(count, concurrency, async (n) => {
    const res = await worker.fetch(`http://bench.local/tickets/${TICKET}/replies`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "bench", message: `write path ${n}` }),
    });
    await res.arrayBuffer();
    return res.status === 201;
  });
  return { latencies, seconds, failures: results.filter((created) => !created).length };
}

/** How long a subscribed round waits for its last deliveries before the next scenario's turn. */
const DELIVERIES_GIVE_UP_MS = 10_000;

/**
 * The scenario "through the gateway, one webhook subscription active": each of its rounds
 * subscribes a receiver answering 204, posts, then waits until the receiver has every reply of
 * the round and unsubscribes, so no delivery of it runs during another scenario's turn (a reply's
 * event goes to the webhooks fan-out only while a subscription is active at its commit).
 * @param {BenchWorker} gateway
 * @param {Awaited<ReturnType<typeof startReceiver>>} receiver
 * @returns {(run: () => Promise<RoundResult>) => Promise<RoundResult>}
 */
const whileSubscribed = (gateway, receiver) => async (run) => {
  const id = await subscribe(gateway, receiver.url);
  try {
    const before = receiver.received();
    const result = await run();
    // A POST that was not a 201 made no reply, so no delivery either.
    const due = before + result.latencies.length - result.failures;
    if (!(await pollUntil(() => receiver.received() >= due, { timeoutMs: DELIVERIES_GIVE_UP_MS, everyMs: 5 }))) throw new Error(`the receiver had ${receiver.received() - before} of ${due - before} deliveries after ${DELIVERIES_GIVE_UP_MS} ms`);
    return result;
  } finally {
    await unsubscribe(gateway, id);
  }
};

/** @typedef {Awaited<ReturnType<typeof postReplies>>} RoundResult */

/** @param {() => Promise<RoundResult>} run */
const plain = (run) => run();

/**
 * Measures every scenario at each concurrency and prints throughput and p50 with their ratios,
 * and what each step from the reference to the gateway costs.
 * @param {import("miniflare").Miniflare} mf
 * @param {{ requests: number }} options
 */
export async function benchWritePath(mf, { requests }) {
  const reference = await mf.getWorker("write-path-reference");
  await reference.fetch("http://bench.local/schema");
  const targets = await Promise.all(SCENARIOS.map(async (scenario) => ({ ...scenario, target: await mf.getWorker(scenario.worker) })));
  const gateway = await mf.getWorker("gateway");
  const receiver = await startReceiver(204);
  const subscribed = whileSubscribed(gateway, receiver);
  const scenarios = targets.map((scenario) => ({ ...scenario, around: scenario.subscribed ? subscribed : plain }));
  console.log(`\nWrite path: POST /tickets/:id/replies, ${requests} per scenario in ${ROUNDS} interleaved rounds`);
  try {
    for (const concurrency of [1, 8]) await benchAt(concurrency, scenarios, requests);
  } finally {
    await receiver.close();
  }
  console.log("  (target: the gateway at 0.90x the reference's throughput or better)");
}

/**
 * One concurrency's rounds and lines.
 * @param {number} concurrency
 * @param {(typeof SCENARIOS[number] & { target: BenchWorker, around: (run: () => Promise<RoundResult>) => Promise<RoundResult> })[]} scenarios
 * @param {number} requests per scenario
 */
async function benchAt(concurrency, scenarios, requests) {
  const totals = new Map(scenarios.map(({ key }) => [key, { latencies: /** @type {number[]} */ ([]), seconds: 0, failures: 0 }]));
  for (const { target, around } of scenarios) await around(() => postReplies(target, 20, concurrency));
  for (let round = 0; round < ROUNDS; round++) {
    for (const { key, target, around } of scenarios) {
      const r = await around(() => postReplies(target, Math.ceil(requests / ROUNDS), concurrency));
      const total = totals.get(key);
      if (!total) continue;
      total.latencies.push(...r.latencies);
      total.seconds += r.seconds;
      total.failures += r.failures;
    }
  }
  const stats = new Map(
    [...totals].map(([key, t]) => [key, { rps: t.latencies.length / t.seconds, p50: percentile(t.latencies.sort((a, b) => a - b), 50), failures: t.failures }]),
  );
  const ref = stats.get("reference");
  if (!ref) return;
  /** Throughput against the reference's. */
  const ratio = (/** @type {string} */ key) => (stats.get(key)?.rps ?? Number.NaN) / ref.rps;
  console.log(`  ${concurrency} in flight:`);
  for (const { key, label } of scenarios) {
    const r = stats.get(key);
    if (r) console.log(`    ${label.padEnd(46)} ${r.rps.toFixed(0).padStart(5)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   ${ratio(key).toFixed(2)}x the reference's throughput${r.failures ? `   (${r.failures} not 201)` : ""}`);
  }
  // Each step from the reference to the gateway, as the throughput it takes off (same run).
  const steps = [
    ["tickets' own work", 1 - ratio("tickets")],
    ["the hop", ratio("tickets") - ratio("hop")],
    ["one limit()", ratio("hop") - ratio("limitedHop")],
    ["the rest of the gateway", ratio("limitedHop") - ratio("gateway")],
  ];
  console.log(`    the gateway's ${(1 - ratio("gateway")).toFixed(2)}x below the reference: ${steps.map(([what, cost]) => `${what} ${Number(cost).toFixed(2)}x`).join(", ")}`);
}
