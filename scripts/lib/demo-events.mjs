// Demo part 3: two replies become events that reach the reply feed, live and in its latest list.
import WebSocket from "ws";
import { parseLiveFrame } from "../../workers/reply-feed/src/live-frame.ts";
import { section } from "./demo-client.mjs";
import { pollUntil } from "./poll-until.mjs";

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
  // A reply can arrive on the socket before its POST has answered: note every arrival, match later.
  /** @type {Map<string, { at: number, reply: import("../../workers/reply-feed/src/live-frame.ts").LiveReply }>} */
  const arrivals = new Map();
  /** @type {number | undefined} the size of the first frame, the snapshot of the feed */
  let snapshotSize;
  live.on("message", (data) => {
    const frame = parseLiveFrame(String(data));
    if (frame?.type === "snapshot") snapshotSize = frame.replies.length;
    if (frame?.type === "reply") arrivals.set(frame.reply.id, { at: Date.now(), reply: frame.reply });
  });
  await new Promise((resolve, reject) => live.once("open", resolve).once("error", reject));
  await pollUntil(() => snapshotSize !== undefined, { timeoutMs: WAIT_MS, everyMs: 20 });
  if (snapshotSize === undefined) throw new Error("the live feed sent no snapshot frame");
  console.log(`Listening on the WebSocket GET /replies/live: its first frame is the feed (${snapshotSize} replies), then a frame per new reply.`);

  /** @type {{ id: string, postedAt: number }[]} */
  const posted = [];
  for (const [user, message] of [["Kim", "Any news on AD for iOS?"], ["Gonto", "Yes: see our Active Directory connector docs."]]) {
    const postedAt = Date.now();
    const { res, body, servedBy } = await api.post(`/tickets/${TICKET}/replies`, { user, message });
    if (res.status !== 201) throw new Error(`POST reply answered ${res.status}: ${JSON.stringify(body)}`);
    posted.push({ id: body.id, postedAt });
    console.log(`  POST /tickets/${TICKET}/replies → 201 from ${servedBy} (reply ${body.id})`);
  }
  await pollUntil(() => posted.every(({ id }) => arrivals.has(id)), { timeoutMs: WAIT_MS, everyMs: 20 });
  live.close();
  for (const { id, postedAt } of posted) {
    const arrival = arrivals.get(id);
    if (!arrival) throw new Error(`reply ${id} did not reach the feed within ${WAIT_MS / 1000} s`);
    const { user, message, title } = arrival.reply;
    console.log(`  live  ← ${user}: "${message}" on "${title}", ${arrival.at - postedAt} ms after its POST was sent`);
  }

  const { body: latest } = await api.call("/latestReplies");
  console.log(`GET /latestReplies → ${latest.length} replies, oldest first (the last ones):`);
  for (const reply of latest.slice(-4)) console.log(`  ${reply.createdAt}  ${reply.user.padEnd(6)} on "${reply.title}": ${reply.message.slice(0, 60)}`);
}
