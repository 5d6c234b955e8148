// Bench part: the live feed at scale. `sockets` clients hold GET /replies/live open; each reply
// posted through the gateway is timed from its POST until every one of them has its frame.
import { parseLiveFrame } from "../../workers/reply-feed/src/live-frame.ts";
import { percentile } from "./bench-dispatch.mjs";

const TICKET = "55e633dcfa7864d21a226053";
const GIVE_UP_MS = 30_000;

/**
 * Opens `count` live sockets on `worker`; each records when each reply reached it.
 * @param {{ fetch: (url: string, init: { headers: Record<string, string> }) => Promise<{ status: number, webSocket: any }> }} worker
 * @param {number} count
 */
async function openSockets(worker, count) {
  /** @type {Map<string, number>[]} */
  const arrivals = [];
  /** @type {{ close(code?: number, reason?: string): void }[]} */
  const sockets = [];
  for (let n = 0; n < count; n++) {
    const res = await worker.fetch("http://bench.local/replies/live", {
      headers: { upgrade: "websocket", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" },
    });
    const ws = res.webSocket;
    if (!ws) throw new Error(`socket ${n + 1} of ${count}: GET /replies/live answered ${res.status}, not a WebSocket`);
    ws.accept();
    /** @type {Map<string, number>} */
    const seen = new Map();
    ws.addEventListener("message", (/** @type {{ data: unknown }} */ event) => {
      const frame = parseLiveFrame(String(event.data));
      if (frame?.type === "reply") seen.set(frame.reply.id, performance.now());
    });
    arrivals.push(seen);
    sockets.push(ws);
  }
  return { arrivals, close: () => sockets.forEach((ws) => ws.close(1000, "bench done")) };
}

/**
 * Posts `replies` replies one at a time with `sockets` live clients connected, and prints p50 and
 * p99 of the time until the last client has each reply.
 * @param {import("miniflare").Miniflare} mf
 * @param {{ sockets: number, replies: number, socketsVia: string }} options `socketsVia`: the Worker the clients connect to
 */
export async function benchLiveScale(mf, { sockets: socketCount, replies, socketsVia }) {
  const gateway = await mf.getWorker("gateway");
  const live = await openSockets(/** @type {any} */ (await mf.getWorker(socketsVia)), socketCount);
  /** @type {number[]} */
  const toAll = [];
  /** @type {number[]} */
  const toFirst = [];
  try {
    for (let n = 0; n < replies; n++) {
      const sentAt = performance.now();
      const res = await gateway.fetch(`http://bench.local/tickets/${TICKET}/replies`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: "bench", message: `to ${socketCount} sockets, ${n}` }),
      });
      if (res.status !== 201) throw new Error(`POST reply answered ${res.status}`);
      const { id } = /** @type {{ id: string }} */ (await res.json());
      while (live.arrivals.some((seen) => !seen.has(id))) {
        if (performance.now() - sentAt > GIVE_UP_MS) throw new Error(`reply ${id} did not reach every socket within ${GIVE_UP_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const times = live.arrivals.map((seen) => /** @type {number} */ (seen.get(id)) - sentAt);
      toAll.push(Math.max(...times));
      toFirst.push(Math.min(...times));
    }
  } finally {
    live.close();
  }
  const p = (/** @type {number[]} */ values, /** @type {number} */ q) => percentile([...values].sort((a, b) => a - b), q).toFixed(1);
  console.log(`\nLive feed at scale: ${socketCount} sockets connected, ${replies} replies posted one at a time (POST sent → frame received):`);
  console.log(`  first socket   p50 ${p(toFirst, 50).padStart(6)} ms   p99 ${p(toFirst, 99).padStart(6)} ms`);
  console.log(`  every socket   p50 ${p(toAll, 50).padStart(6)} ms   p99 ${p(toAll, 99).padStart(6)} ms`);
}
