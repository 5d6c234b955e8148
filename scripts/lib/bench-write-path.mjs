// Bench part: the write path (POST a reply) through the gateway against a minimal Worker doing
// the same durable work (scripts/bench/reference-worker.js), at 1 and at 8 in flight; also
// through the gateway with one webhook subscription active, which every reply then goes to.
import path from "node:path";
import { percentile } from "./bench-dispatch.mjs";
import { inFlight } from "./bench-load.mjs";
import { startReceiver, subscribe, unsubscribe } from "./bench-webhooks.mjs";
import { pollUntil } from "./poll-until.mjs";
import { ROOT } from "./run.mjs";

const TICKET = "55e633dcfa7864d21a226053";
/** Scenarios take turns, a share of the requests at a time, so drift in the machine hits them alike. */
const ROUNDS = 4;

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

/**
 * Measures every scenario at each concurrency and prints throughput and p50 with their ratios.
 * @param {import("miniflare").Miniflare} mf
 * @param {{ requests: number }} options
 */
export async function benchWritePath(mf, { requests }) {
  const reference = await mf.getWorker("write-path-reference");
  await reference.fetch("http://bench.local/schema");
  const gateway = await mf.getWorker("gateway");
  const tickets = await mf.getWorker("tickets-1-0-1");
  const passThrough = await mf.getWorker("pass-through");
  const receiver = await startReceiver(204);
  console.log(`\nWrite path: POST /tickets/:id/replies, ${requests} per scenario in ${ROUNDS} interleaved rounds`);
  try {
    for (const concurrency of [1, 8]) await benchAt(concurrency, { gateway, tickets, passThrough, reference, receiver, requests });
  } finally {
    await receiver.close();
  }
  console.log("  (target: the gateway at 0.90x the reference's throughput or better)");
}

/**
 * One concurrency's rounds and lines.
 * @param {number} concurrency
 * @param {{ gateway: BenchWorker, tickets: BenchWorker, passThrough: BenchWorker, reference: BenchWorker, receiver: Awaited<ReturnType<typeof startReceiver>>, requests: number }} workers
 */
async function benchAt(concurrency, { gateway, tickets, passThrough, reference, receiver, requests }) {
  /** @param {() => Promise<RoundResult>} run */
  const plain = (run) => run();
  const empty = () => ({ latencies: /** @type {number[]} */ ([]), seconds: 0, failures: 0 });
  const totals = { gateway: empty(), subscribed: empty(), hop: empty(), tickets: empty(), reference: empty() };
  /** @type {[keyof typeof totals, BenchWorker, (run: () => Promise<RoundResult>) => Promise<RoundResult>][]} */
  const scenarios = [["gateway", gateway, plain], ["subscribed", gateway, whileSubscribed(gateway, receiver)], ["hop", passThrough, plain], ["tickets", tickets, plain], ["reference", reference, plain]];
  for (const [, worker, around] of scenarios) await around(() => postReplies(worker, 20, concurrency));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, worker, around] of scenarios) {
      const r = await around(() => postReplies(worker, Math.ceil(requests / ROUNDS), concurrency));
      totals[name].latencies.push(...r.latencies);
      totals[name].seconds += r.seconds;
      totals[name].failures += r.failures;
    }
  }
  const stats = Object.fromEntries(
    Object.entries(totals).map(([name, t]) => {
      const sorted = t.latencies.sort((a, b) => a - b);
      return [name, { rps: sorted.length / t.seconds, p50: percentile(sorted, 50), failures: t.failures }];
    }),
  );
  const { gateway: g, subscribed: s, hop: h, tickets: t, reference: ref } = stats;
  if (!g || !s || !h || !t || !ref) return;
  const line = (/** @type {string} */ label, /** @type {{ rps: number, p50: number, failures: number }} */ r) =>
    `    ${label.padEnd(46)} ${r.rps.toFixed(0).padStart(5)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   ${(r.rps / ref.rps).toFixed(2)}x the reference's throughput${r.failures ? `   (${r.failures} not 201)` : ""}`;
  console.log(`  ${concurrency} in flight:`);
  console.log(line("through the gateway", g));
  console.log(line("through the gateway, one subscription active", s));
  console.log(line("pass-through Worker → tickets 1.0.1 (the hop)", h));
  console.log(line("straight to tickets 1.0.1", t));
  console.log(line("reference Worker", ref));
}
