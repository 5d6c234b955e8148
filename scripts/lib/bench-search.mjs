// Bench part: the data pump. A burst of replies through the gateway (which pokes the search pump
// for the writes no answered poke covers: the pokes are counted on their way), then the time until
// GET /search/status shows the index caught up with the last write, the pump's throughput (during
// the burst, and rebuilding the whole log from sequence 0), and search queries on the grown index.
import { percentile } from "./bench-dispatch.mjs";
import { inFlight } from "./bench-load.mjs";
import { BENCH_SUBSCRIPTIONS_TOKEN } from "./bench-webhooks.mjs";
import { waitForCatchUp } from "./search-status.mjs";

const BASE = "http://bench.local";
const TICKET = "55e633dcfa7864d21a226053";
/** Words the replies carry and the queries ask for: each query matches a share of the burst. */
const WORDS = ["password", "invoice", "android", "timeout", "export", "billing", "keyboard", "webhook"];
/** Polling the status reads the change log too: often enough to time the catch-up, not so often as to slow it. */
const POLL_MS = 5;

/** The bench's stand-in between the gateway and the search Worker: passes every call on, counting the pokes. */
export const POKE_COUNTER = "search-poke-counter";

/**
 * Miniflare options of {@link POKE_COUNTER}; the gateway's SEARCH_V1_0_0 binding goes to it.
 *
 * @example
 * ```js
 * workers.push(pokeCounterOptions("search-1-0-0"));
 * ```
 * @param {string} search the search Worker's name
 * @returns {import("miniflare").V4WorkerOptions}
 */
export const pokeCounterOptions = (search) => ({
  name: POKE_COUNTER,
  modules: true,
  script: `let pokes = 0;
export default {
  fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/bench/pokes") return Response.json({ pokes });
    if (pathname === "/pump/poke") pokes++;
    return env.SEARCH.fetch(request);
  },
};`,
  serviceBindings: { SEARCH: search },
});

/** @param {import("miniflare").Miniflare} mf */
const pokesSoFar = async (mf) => /** @type {{ pokes: number }} */ (await (await (await mf.getWorker(POKE_COUNTER)).fetch("http://bench.local/bench/pokes")).json()).pokes;

/** @param {number[]} values */
const quantiles = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(2).padStart(6)} ms`;
};

/**
 * @param {import("miniflare").Miniflare} mf
 * @param {{ replies: number, concurrency: number, queries: number }} options
 */
export async function benchSearch(mf, { replies, concurrency, queries }) {
  const gateway = await mf.getWorker("gateway");
  // What the pump applies from here on: the burst's changes, and any backlog (the seed's, say).
  const from = /** @type {{ checkpoint: number }} */ (await (await gateway.fetch(`${BASE}/search/status`)).json()).checkpoint;
  console.log(`\nSearch: ${replies} replies posted through the gateway, ${concurrency} in flight`);
  const pokesBefore = await pokesSoFar(mf);

  const started = performance.now();
  const burst = await inFlight(replies, concurrency, async (n) => {
    const res = await gateway.fetch(`${BASE}/tickets/${TICKET}/replies`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "bench", message: `burst ${n}: the ${WORDS[n % WORDS.length]} ${WORDS[(n * 3 + 1) % WORDS.length]} problem` }),
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`POST reply answered ${res.status}`);
  });
  const ended = performance.now();
  // The status reads the log's head live: caught up (no lag) means the last write's change is in.
  const { status, at } = await waitForCatchUp(gateway, BASE, { pollMs: POLL_MS });
  const changes = (status.head ?? 0) - from;
  console.log(`  burst: ${(replies / burst.seconds).toFixed(0)} writes/s (${(burst.seconds * 1000).toFixed(0)} ms), write ${quantiles(burst.latencies)}`);
  console.log(`  index caught up with the last write (seq ${status.head}): ${(at - ended).toFixed(0)} ms after the burst's end, ${(at - started).toFixed(0)} ms after its start`);
  const pokes = (await pokesSoFar(mf)) - pokesBefore;
  console.log(`  pokes the gateway sent: ${pokes} for ${replies} writes (${((1000 * pokes) / (at - started)).toFixed(1)} a second; the pump steps at most every 100 ms after one)`);
  console.log(`  pump during the burst: ${changes} changes in ${((at - started) / 1000).toFixed(2)} s = ${(changes / ((at - started) / 1000)).toFixed(0)} changes/s (bounded by the writes)`);

  const rebuildStarted = performance.now();
  const rebuild = await gateway.fetch(`${BASE}/search/rebuild`, { method: "POST", headers: { authorization: `Bearer ${BENCH_SUBSCRIPTIONS_TOKEN}` } });
  await rebuild.arrayBuffer();
  if (rebuild.status !== 202) throw new Error(`POST /search/rebuild answered ${rebuild.status}`);
  const rebuilt = await waitForCatchUp(gateway, BASE, { pollMs: POLL_MS });
  const rebuildSeconds = (rebuilt.at - rebuildStarted) / 1000;
  console.log(`  rebuild from seq 0: ${rebuilt.status.checkpoint} changes in ${rebuildSeconds.toFixed(2)} s = ${(rebuilt.status.checkpoint / rebuildSeconds).toFixed(0)} changes/s (the pump alone)`);

  let hits = 0;
  const search = await inFlight(queries, 1, async (n) => {
    const res = await gateway.fetch(`${BASE}/search?q=${WORDS[n % WORDS.length]}&limit=10`);
    const body = /** @type {{ hits: unknown[] }} */ (await res.json());
    if (res.status !== 200) throw new Error(`GET /search answered ${res.status}: ${JSON.stringify(body)}`);
    hits += body.hits.length;
  });
  console.log(`  GET /search?q=<one word>&limit=10 on ${rebuilt.status.checkpoint} changes, 1 in flight: ${quantiles(search.latencies)}   (${(hits / queries).toFixed(1)} hits a query)`);
}
