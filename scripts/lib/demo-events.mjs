// Demo part 3: two replies become events that reach the reply feed, live and in its latest list.
import WebSocket from "ws";
import { section, sleep } from "./demo-client.mjs";

const TICKET = "55e633dcfa7864d21a226053"; // "AD on iOS", a seed ticket
const WAIT_MS = 10_000;

/**
 * @param {ReturnType<typeof import("./demo-client.mjs").demoClient>} api
 * @param {string} base
 */
export async function demoEvents(api, base) {
  section(
    "3. Events: a reply, an outbox row, a queue message, the reply feed",
    "Each reply is written with an outbox row in one transaction, sent to the reply-events queue,\n" +
      "and applied by the reply feed's Durable Object, which keeps the latest 10 and pushes them live.",
  );
  const live = new WebSocket(`${base.replace(/^http/, "ws")}/replies/live`);
  /** @type {Map<string, number>} */
  const sentAt = new Map();
  /** @type {string[]} */
  const arrived = [];
  live.on("message", (data) => {
    const reply = JSON.parse(String(data));
    const since = sentAt.get(reply.id);
    if (since === undefined) return;
    arrived.push(reply.id);
    console.log(`  live  ← ${reply.user}: "${reply.message}" on "${reply.title}", ${Date.now() - since} ms after its POST`);
  });
  await new Promise((resolve, reject) => live.once("open", resolve).once("error", reject));
  console.log("Listening on the WebSocket GET /replies/live.");

  for (const [user, message] of [["Kim", "Any news on AD for iOS?"], ["Gonto", "Yes: see our Active Directory connector docs."]]) {
    const posted = Date.now();
    const { res, body, servedBy } = await api.post(`/tickets/${TICKET}/replies`, { user, message });
    if (res.status !== 201) throw new Error(`POST reply answered ${res.status}: ${JSON.stringify(body)}`);
    sentAt.set(body.id, posted);
    console.log(`  POST /tickets/${TICKET}/replies → 201 from ${servedBy} (reply ${body.id})`);
  }
  const waitStarted = Date.now();
  while (arrived.length < sentAt.size && Date.now() - waitStarted < WAIT_MS) await sleep(50);
  live.close();
  if (arrived.length < sentAt.size) throw new Error(`only ${arrived.length} of ${sentAt.size} replies reached the feed in ${WAIT_MS / 1000} s`);

  const { body: latest } = await api.call("/latestReplies");
  console.log(`GET /latestReplies → ${latest.length} replies, oldest first (the last ones):`);
  for (const reply of latest.slice(-4)) console.log(`  ${reply.createdAt}  ${reply.user.padEnd(6)} on "${reply.title}": ${reply.message.slice(0, 60)}`);
}
