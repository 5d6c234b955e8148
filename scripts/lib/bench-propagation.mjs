// Bench part 2: how long a reply takes from its POST to the reply feed, through the outbox, the
// Queue and the Durable Object: to GET /latestReplies (polled) and to a live WebSocket.
import { parseLiveFrame } from "../../workers/reply-feed/src/live-frame.ts";
import { percentile } from "./bench-dispatch.mjs";
import { pollUntil } from "./poll-until.mjs";

const TICKET = "55e633dcfa7864d21a226053";
const POLL_MS = 2;
const GIVE_UP_MS = 10_000;

/** @param {number[]} values */
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms   max ${(sorted.at(-1) ?? NaN).toFixed(1).padStart(6)} ms`;
};

/**
 * Posts `count` replies one after another through the gateway and times each one's arrival.
 * @param {import("miniflare").Miniflare} mf
 * @param {{ replies: number }} options
 */
export async function benchPropagation(mf, { replies: count }) {
  const gateway = await mf.getWorker("gateway");
  const upgrade = await gateway.fetch("http://bench.local/replies/live", { headers: { upgrade: "websocket" } });
  const ws = upgrade.webSocket;
  if (!ws) throw new Error(`GET /replies/live answered ${upgrade.status}, not a WebSocket`);
  ws.accept();
  /** @type {Map<string, number>} */
  const liveAt = new Map();
  ws.addEventListener("message", (event) => {
    const frame = parseLiveFrame(String(event.data));
    if (frame?.type === "reply") liveAt.set(frame.reply.id, performance.now());
  });

  /** @type {number[]} */
  const toFeed = [];
  /** @type {number[]} */
  const toSocket = [];
  for (let n = 0; n < count; n++) {
    const sentAt = performance.now();
    const res = await gateway.fetch(`http://bench.local/tickets/${TICKET}/replies`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "bench", message: `reply ${n}` }),
    });
    const { id } = /** @type {{ id: string }} */ (await res.json());
    const inFeed = async () => {
      const feed = /** @type {{ id: string }[]} */ (await (await gateway.fetch("http://bench.local/latestReplies")).json());
      return feed.some((reply) => reply.id === id);
    };
    if (!(await pollUntil(inFeed, { timeoutMs: GIVE_UP_MS, everyMs: POLL_MS, since: sentAt }))) throw new Error(`reply ${id} not in the feed after ${GIVE_UP_MS} ms`);
    toFeed.push(performance.now() - sentAt);
    await pollUntil(() => liveAt.has(id), { timeoutMs: GIVE_UP_MS, everyMs: POLL_MS, since: sentAt });
    const arrived = liveAt.get(id);
    if (arrived === undefined) throw new Error(`reply ${id} never reached the WebSocket`);
    toSocket.push(arrived - sentAt);
  }
  ws.close(1000, "bench done");
  console.log(`\nReply propagation, ${count} replies posted one at a time through the gateway (POST sent → seen):`);
  console.log(`  in GET /latestReplies (polled every ${POLL_MS} ms)  ${summary(toFeed)}`);
  console.log(`  on the WebSocket /replies/live          ${summary(toSocket)}`);
}
