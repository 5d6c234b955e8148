// Bench part 6: from POSTing a reply to a webhook receiver having it (outbox, the webhook-events
// Queue, the fan-out, the webhook-deliveries Queue, a signed POST), with one healthy subscription,
// then with a second one whose receiver always fails: the healthy one must not slow down.
import { createServer } from "node:http";
import { percentile } from "./bench-dispatch.mjs";
import { pollUntil } from "./poll-until.mjs";

const TICKET = "55e633dcfa7864d21a226053";
const GIVE_UP_MS = 10_000;
/** The gateway's subscription token in the bench (set as its secret in scripts/bench.mjs). */
export const BENCH_SUBSCRIPTIONS_TOKEN = "bench-subscriptions-token";

/**
 * A receiver on 127.0.0.1 answering `status` to every delivery and noting when each reply's
 * delivery arrived (by the event's replyId).
 *
 * @example
 * ```js
 * const receiver = await startReceiver(204);
 * await subscribe(gateway, receiver.url);
 * ```
 * @param {number} status
 */
export async function startReceiver(status) {
  /** @type {Map<string, number>} */
  const arrivals = new Map();
  let received = 0;
  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      received++;
      const replyId = JSON.parse(Buffer.concat(chunks).toString("utf8"))?.data?.replyId;
      if (typeof replyId === "string" && !arrivals.has(replyId)) arrivals.set(replyId, performance.now());
      res.writeHead(status).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * @param {{ fetch: (url: string, init?: any) => Promise<any> }} gateway
 * @param {string} url
 * @returns {Promise<string>} the subscription's id
 */
export async function subscribe(gateway, url) {
  const res = await gateway.fetch("http://bench.local/subscriptions", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_SUBSCRIPTIONS_TOKEN}` },
    body: JSON.stringify({ url, description: "bench" }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`POST /subscriptions answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

/**
 * Deletes the subscription `id`.
 * @param {{ fetch: (url: string, init?: any) => Promise<any> }} gateway
 * @param {string} id
 */
export async function unsubscribe(gateway, id) {
  const res = await gateway.fetch(`http://bench.local/subscriptions/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${BENCH_SUBSCRIPTIONS_TOKEN}` } });
  await res.arrayBuffer();
  if (res.status !== 204) throw new Error(`DELETE /subscriptions/${id} answered ${res.status}`);
}

/**
 * Posts `count` replies one after another and times each one's arrival at `receiver`.
 * @param {{ fetch: (url: string, init?: any) => Promise<any> }} gateway
 * @param {Awaited<ReturnType<typeof startReceiver>>} receiver
 * @param {number} count
 */
async function timeDeliveries(gateway, receiver, count) {
  /** @type {number[]} */
  const latencies = [];
  for (let n = 0; n < count; n++) {
    const sentAt = performance.now();
    const res = await gateway.fetch(`http://bench.local/tickets/${TICKET}/replies`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "bench", message: `webhook ${n}` }),
    });
    const { id } = /** @type {{ id: string }} */ (await res.json());
    await pollUntil(() => receiver.arrivals.has(id), { timeoutMs: GIVE_UP_MS, everyMs: 1, since: sentAt });
    const arrived = receiver.arrivals.get(id);
    if (arrived === undefined) throw new Error(`reply ${id} was not delivered within ${GIVE_UP_MS} ms`);
    latencies.push(arrived - sentAt);
  }
  return latencies.sort((a, b) => a - b);
}

/**
 * @param {import("miniflare").Miniflare} mf
 * @param {{ replies: number }} options
 */
export async function benchWebhooks(mf, { replies }) {
  const gateway = await mf.getWorker("gateway");
  const healthy = await startReceiver(200);
  const failing = await startReceiver(500);
  /** @type {string[]} */
  const subscriptions = [];
  try {
    console.log(`\nWebhooks: POST a reply → the receiver has it, ${replies} replies one after another`);
    subscriptions.push(await subscribe(gateway, healthy.url));
    const alone = await timeDeliveries(gateway, healthy, replies);
    subscriptions.push(await subscribe(gateway, failing.url));
    const beside = await timeDeliveries(gateway, healthy, replies);
    const line = (/** @type {string} */ label, /** @type {number[]} */ sorted) =>
      `    ${label.padEnd(46)} p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms`;
    console.log(line("one healthy subscription", alone));
    console.log(line("the same, beside one that always answers 500", beside));
    console.log(`    ratio beside/alone: p50 ${(percentile(beside, 50) / percentile(alone, 50)).toFixed(2)}x   p99 ${(percentile(beside, 99) / percentile(alone, 99)).toFixed(2)}x   (target: about 1; the failing receiver got ${failing.received()} attempts)`);
  } finally {
    // The parts after this one post replies too: they measure a system nobody subscribes to.
    for (const id of subscriptions) await unsubscribe(gateway, id);
    await Promise.all([healthy.close(), failing.close()]);
  }
}
