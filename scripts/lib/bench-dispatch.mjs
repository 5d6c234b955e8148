// Bench part 1: GET /tickets straight to a tickets Worker, through the gateway, and through the
// gateway with tickets 1.0.1 failing half of its queries (breaker on and off).
import { inFlight } from "./bench-load.mjs";

/** @param {number[]} sorted @param {number} p */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Sends `count` GET /tickets to `worker` with `concurrency` in flight.
 * @param {{ fetch: (url: string) => Promise<{ status: number, headers: { get(name: string): string | null }, arrayBuffer(): Promise<ArrayBuffer> }> }} worker
 * @param {number} count
 * @param {number} concurrency
 */
async function load(worker, count, concurrency) {
  const { latencies, seconds, results } = await inFlight(count, concurrency, async () => {
    const res = await worker.fetch("http://bench.local/tickets");
    await res.arrayBuffer();
    return { fallback: res.headers.get("x-fallback-from") !== null, error: res.status >= 500 };
  });
  const fallbacks = results.filter((r) => r.fallback).length;
  const errors = results.filter((r) => r.error).length;
  return { latencies, seconds, fallbacks, errors };
}

/** Scenarios take turns, a share of the requests at a time, so drift in the machine hits them alike. */
const ROUNDS = 4;

/** @type {[label: string, workerName: string][]} */
const SCENARIOS = [
  ["straight to tickets 1.0.0", "tickets-1-0-0"],
  ["pass-through Worker (the hop alone)", "pass-through"],
  ["gateway, both versions healthy", "gateway"],
  ["gateway, 1.0.1 failing 50%, breaker on", "gateway-flaky"],
  ["gateway, 1.0.1 failing 50%, breaker off", "gateway-flaky-no-breaker"],
];

/**
 * Runs every scenario and prints a line each, then the ratios.
 * @param {import("miniflare").Miniflare} mf
 * @param {{ requests: number, concurrency: number, warmup: number }} options
 */
export async function benchDispatch(mf, { requests, concurrency, warmup }) {
  console.log(`GET /tickets, ${requests} requests per scenario in ${ROUNDS} interleaved rounds, ${concurrency} in flight, after ${warmup} warm-up requests\n`);
  /** @type {Record<string, { latencies: number[], seconds: number, fallbacks: number, errors: number }>} */
  const totals = Object.fromEntries(SCENARIOS.map(([, name]) => [name, { latencies: [], seconds: 0, fallbacks: 0, errors: 0 }]));
  for (const [, workerName] of SCENARIOS) await load(await mf.getWorker(workerName), warmup, concurrency);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [, workerName] of SCENARIOS) {
      const r = await load(await mf.getWorker(workerName), Math.ceil(requests / ROUNDS), concurrency);
      const total = totals[workerName];
      if (!total) continue;
      total.latencies.push(...r.latencies);
      total.seconds += r.seconds;
      total.fallbacks += r.fallbacks;
      total.errors += r.errors;
    }
  }
  /** @type {Record<string, { rps: number, p50: number, p99: number }>} */
  const results = {};
  for (const [label, workerName] of SCENARIOS) {
    const t = totals[workerName];
    if (!t) continue;
    const sorted = t.latencies.sort((a, b) => a - b);
    const r = (results[workerName] = { rps: sorted.length / t.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) });
    console.log(
      `${label.padEnd(42)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   with x-fallback-from ${String(t.fallbacks).padStart(5)}   5xx ${t.errors}`,
    );
  }
  const { "tickets-1-0-0": direct, "pass-through": hop, gateway, "gateway-flaky": flaky, "gateway-flaky-no-breaker": noBreaker } = results;
  if (!direct || !hop || !gateway || !flaky || !noBreaker) return;
  console.log("\nRatios (same run):");
  console.log(`  dispatch overhead: gateway/direct p50 ${(gateway.p50 / direct.p50).toFixed(2)}x, throughput ${(gateway.rps / direct.rps).toFixed(2)}x`);
  // What a second Worker in the path costs by itself, whatever it does: the floor of any gateway.
  console.log(`  of which the hop:  pass-through/direct p50 ${(hop.p50 / direct.p50).toFixed(2)}x, throughput ${(hop.rps / direct.rps).toFixed(2)}x`);
  console.log(`  fallback cost, breaker on:  p50 ${(flaky.p50 / gateway.p50).toFixed(2)}x, p99 ${(flaky.p99 / gateway.p99).toFixed(2)}x of the healthy gateway`);
  console.log(`  fallback cost, breaker off: p50 ${(noBreaker.p50 / gateway.p50).toFixed(2)}x, p99 ${(noBreaker.p99 / gateway.p99).toFixed(2)}x of the healthy gateway`);
}
