// npm run bench: measures, in one run on this machine, what dispatch and fallback cost.
// Prints requests/s and p50/p99 latency of GET /tickets straight to a tickets Worker, through the
// gateway, and through the gateway with tickets 1.0.1 failing half of its queries (breaker on
// and off). Ratios compare scenarios of the same run; absolute figures depend on the machine.
import { CONFIGS, startLocalSystem, workerOptions } from "./lib/local-system.mjs";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP = 100;

const mf = await startLocalSystem([
  await workerOptions({ config: CONFIGS.gateway }),
  await workerOptions({ config: CONFIGS.ticketsV100 }),
  await workerOptions({ config: CONFIGS.ticketsV101, vars: { FAILURE_RATE: "0" } }),
  await workerOptions({ config: CONFIGS.ticketsV101, name: "tickets-1-0-1-flaky", vars: { FAILURE_RATE: "0.5" } }),
  await workerOptions({
    config: CONFIGS.gateway,
    name: "gateway-flaky",
    serviceBindings: { TICKETS_V1_0_1: "tickets-1-0-1-flaky" },
  }),
  await workerOptions({
    config: CONFIGS.gateway,
    name: "gateway-flaky-no-breaker",
    serviceBindings: { TICKETS_V1_0_1: "tickets-1-0-1-flaky" },
    vars: { BREAKER_FAILURE_THRESHOLD: "1000000000" },
  }),
]);

/** @param {number[]} sorted @param {number} p */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Sends `count` GET /tickets to `workerName` with CONCURRENCY in flight.
 * @param {string} workerName
 * @param {number} count
 */
async function load(workerName, count) {
  const worker = await mf.getWorker(workerName);
  /** @type {number[]} */
  const latencies = [];
  let fallbacks = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        const res = await worker.fetch("http://bench.local/tickets");
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.headers.get("x-fallback-from")) fallbacks++;
        if (res.status >= 500) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), fallbacks, errors };
}

/** @type {[label: string, workerName: string][]} */
const scenarios = [
  ["straight to tickets 1.0.0", "tickets-1-0-0"],
  ["gateway, both versions healthy", "gateway"],
  ["gateway, 1.0.1 failing 50%, breaker on", "gateway-flaky"],
  ["gateway, 1.0.1 failing 50%, breaker off", "gateway-flaky-no-breaker"],
];

console.log(`GET /tickets, ${REQUESTS} requests per scenario, ${CONCURRENCY} in flight, after ${WARMUP} warm-up requests\n`);
/** @type {Record<string, Awaited<ReturnType<typeof load>>>} */
const results = {};
for (const [label, workerName] of scenarios) {
  await load(workerName, WARMUP);
  const r = await load(workerName, REQUESTS);
  results[workerName] = r;
  console.log(
    `${label.padEnd(42)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   fallbacks ${String(r.fallbacks).padStart(5)}   5xx ${r.errors}`,
  );
}

const direct = results["tickets-1-0-0"];
const gateway = results["gateway"];
const flaky = results["gateway-flaky"];
const noBreaker = results["gateway-flaky-no-breaker"];
if (direct && gateway && flaky && noBreaker) {
  console.log("\nRatios (same run):");
  console.log(`  dispatch overhead: gateway/direct p50 ${(gateway.p50 / direct.p50).toFixed(2)}x, throughput ${(gateway.rps / direct.rps).toFixed(2)}x`);
  console.log(`  fallback cost, breaker on:  p50 ${(flaky.p50 / gateway.p50).toFixed(2)}x, p99 ${(flaky.p99 / gateway.p99).toFixed(2)}x of the healthy gateway`);
  console.log(`  fallback cost, breaker off: p50 ${(noBreaker.p50 / gateway.p50).toFixed(2)}x, p99 ${(noBreaker.p99 / gateway.p99).toFixed(2)}x of the healthy gateway`);
}
await mf.dispose();
