// Demo part 4: the original's subscribeToComments as signed webhooks. A receiver on this machine
// subscribes, checks every signature with the standardwebhooks package, fails its first delivery
// and takes the retry, then unsubscribes and hears nothing more.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { section } from "./demo-client.mjs";
import { pollUntil, sleep } from "./poll-until.mjs";
import { managementToken } from "./dev-vars.mjs";

const TICKET = "55e633dcfa7864d21a226053"; // "AD on iOS", a seed ticket
/** The first retry comes 5 s (with jitter) after a failed attempt; leave room. */
const RETRY_WAIT_MS = 15_000;
/** How long the demo listens for a delivery that must not come. */
const QUIET_MS = 4_000;

/**
 * A webhook receiver on 127.0.0.1 (npm start allow-lists loopback for local receivers): it verifies
 * each delivery with the subscription's secret, once known, and answers 500 to its first one.
 */
async function startReceiver() {
  /** @type {{ at: number, id: string, attempt: number, verified: string, status: number, event: any }[]} */
  const deliveries = [];
  /** @type {Webhook | undefined} */
  let verifier;
  const server = createServer((req, res) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = "not verified";
      let event;
      try {
        event = verifier?.verify(body, /** @type {Record<string, string>} */ (req.headers));
        verified = event ? "signature verified" : verified;
      } catch (err) {
        verified = `signature REJECTED (${err instanceof Error ? err.message : String(err)})`;
      }
      const status = deliveries.length === 0 ? 500 : 200;
      deliveries.push({ at: Date.now(), id: String(req.headers["webhook-id"]), attempt: deliveries.length + 1, verified, status, event });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "not today");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/replies`,
    deliveries,
    /** @param {string} secret */
    trust: (secret) => (verifier = new Webhook(secret)),
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * @param {string} base
 */
export async function demoWebhooks(base) {
  section(
    "4. Subscriptions: every new reply POSTed to your URL, signed, retried",
    "The original's POST /tickets/subscribeToComments, as Standard Webhooks: each delivery carries\n" +
      "webhook-id, webhook-timestamp and an HMAC signature; a failed one is retried on Svix's schedule.",
  );
  const token = managementToken(base);
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const receiver = await startReceiver();
  try {
    const refused = await fetch(`${base}/tickets/subscribeToComments`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: receiver.url }) });
    console.log(`POST /tickets/subscribeToComments without the token → ${refused.status} (managing subscriptions needs Authorization: Bearer, from .dev.vars)`);
    const subscribed = await fetch(`${base}/tickets/subscribeToComments`, { method: "POST", headers: auth, body: JSON.stringify({ url: receiver.url }) });
    const subscription = await subscribed.json();
    if (subscribed.status !== 201) throw new Error(`subscribe answered ${subscribed.status}: ${JSON.stringify(subscription)}`);
    receiver.trust(subscription.secret);
    console.log(`POST /tickets/subscribeToComments {url: "${receiver.url}"} → 201, subscription ${subscription.id}`);
    console.log(`  its secret ${subscription.secret.slice(0, 12)}... is shown only in this answer; the receiver verifies with it.`);

    const postedAt = Date.now();
    const reply = await fetch(`${base}/tickets/${TICKET}/replies`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "Kim", message: "Webhooks, finally." }) });
    if (reply.status !== 201) throw new Error(`POST reply answered ${reply.status}`);
    console.log(`POST /tickets/${TICKET}/replies → 201`);
    if (!(await pollUntil(() => receiver.deliveries.length >= 2, { timeoutMs: RETRY_WAIT_MS, everyMs: 50 }))) {
      throw new Error(`the receiver got ${receiver.deliveries.length} of 2 deliveries (a failure, then its retry) within ${RETRY_WAIT_MS / 1000} s`);
    }
    for (const d of receiver.deliveries) {
      console.log(`  receiver ← attempt ${d.attempt}, webhook-id ${d.id}, ${d.verified}, ${d.at - postedAt} ms after the POST → answered ${d.status}`);
    }
    if (receiver.deliveries.some((d) => d.verified !== "signature verified")) throw new Error("a delivery failed signature verification");
    const [first, second] = receiver.deliveries;
    console.log(`  the same webhook-id on both (${first?.id === second?.id ? "yes" : "NO"}): a receiver dedupes retries on it. Reply in the event: "${second?.event?.data?.message}"`);

    const log = await fetch(`${base}/subscriptions/${subscription.id}/deliveries`, { headers: auth });
    const attempts = await log.json();
    console.log(`GET /subscriptions/${subscription.id}/deliveries → the delivery log, newest first:`);
    for (const a of attempts.slice(0, 2)) console.log(`  attempt ${a.attempt}: ${a.statusCode ?? a.error} in ${a.durationMs} ms (delivery ${a.status})`);

    const unsubscribed = await fetch(`${base}/tickets/unsubscribeToComments`, { method: "POST", headers: auth, body: JSON.stringify({ url: receiver.url }) });
    console.log(`POST /tickets/unsubscribeToComments {url} → ${unsubscribed.status} (the original's unsubscribe never worked; this one does)`);
    const before = receiver.deliveries.length;
    await fetch(`${base}/tickets/${TICKET}/replies`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "Kim", message: "Anyone listening?" }) });
    await sleep(QUIET_MS);
    const after = receiver.deliveries.length - before;
    console.log(`Another reply, then ${QUIET_MS / 1000} s of listening: ${after} deliveries.`);
    if (after !== 0) throw new Error("a delivery arrived after unsubscribing");
  } finally {
    await receiver.close();
  }
}
