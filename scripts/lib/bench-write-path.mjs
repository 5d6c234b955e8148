// Bench part: the write path (POST a reply) through the gateway against a minimal Worker doing
// the same durable work (scripts/bench/reference-worker.js), at 1 and at 8 in flight.
import path from "node:path";
import { percentile } from "./bench-dispatch.mjs";
import { inFlight } from "./bench-load.mjs";
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

/**
 * Measures both at each concurrency and prints throughput and p50 with their ratios.
 * @param {import("miniflare").Miniflare} mf
 * @param {{ requests: number }} options
 */
export async function benchWritePath(mf, { requests }) {
  const reference = await mf.getWorker("write-path-reference");
  await reference.fetch("http://bench.local/schema");
  const gateway = await mf.getWorker("gateway");
  const tickets = await mf.getWorker("tickets-1-0-1");
  console.log(`\nWrite path: POST /tickets/:id/replies, ${requests} per scenario in ${ROUNDS} interleaved rounds`);
  for (const concurrency of [1, 8]) {
    const empty = () => ({ latencies: /** @type {number[]} */ ([]), seconds: 0, failures: 0 });
    const totals = { gateway: empty(), tickets: empty(), reference: empty() };
    const scenarios = /** @type {const} */ ([["gateway", gateway], ["tickets", tickets], ["reference", reference]]);
    for (const [, worker] of scenarios) await postReplies(worker, 20, concurrency);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, worker] of scenarios) {
        const r = await postReplies(worker, Math.ceil(requests / ROUNDS), concurrency);
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
    const { gateway: g, tickets: t, reference: ref } = stats;
    if (!g || !t || !ref) continue;
    const line = (/** @type {string} */ label, /** @type {{ rps: number, p50: number, failures: number }} */ r) =>
      `    ${label.padEnd(34)} ${r.rps.toFixed(0).padStart(5)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   ${(r.rps / ref.rps).toFixed(2)}x the reference's throughput${r.failures ? `   (${r.failures} not 201)` : ""}`;
    console.log(`  ${concurrency} in flight:`);
    console.log(line("through the gateway", g));
    console.log(line("straight to tickets 1.0.1", t));
    console.log(line("reference Worker", ref));
  }
  console.log("  (target: the gateway at 0.90x the reference's throughput or better)");
}
