// Bench part: a ticket's answer does not grow with its replies. The same requests to two tickets
// Workers over two databases that differ in one thing: a ticket has 20 replies in one (as many
// as an answer embeds) and 10,000 in the other. Without the bound the second answer would be
// 500 times larger.
import { percentile } from "./bench-dispatch.mjs";
import { migrateTicketsDatabase } from "./local-system.mjs";

const TICKET = "55e633dcfa7864d21a226053";
/** tickets 1.0.0 on two databases of their own: the same migrations and seed, and these replies. */
const DATABASES = [
  { worker: "tickets-few-replies", database: "bench-few-replies", replies: 20 },
  { worker: "tickets-many-replies", database: "bench-many-replies", replies: 10_000 },
];
const ROUNDS = 4;

/**
 * Miniflare options of the two tickets Workers, each on a database of its own.
 * @param {import("miniflare").V4WorkerOptions} tickets tickets 1.0.0's options
 * @returns {import("miniflare").V4WorkerOptions[]}
 */
export const replySizeWorkerOptions = (tickets) =>
  DATABASES.map(({ worker, database }) => ({ ...tickets, name: worker, d1Databases: { DB: database }, cronTriggers: [] }));

/**
 * Migrates `worker`'s database and gives one ticket `count` replies of one size (one statement:
 * a recursive CTE; the reply count follows by trigger, as for any insert).
 * @param {import("miniflare").Miniflare} mf
 * @param {string} worker
 * @param {number} count
 */
async function addReplies(mf, worker, count) {
  await migrateTicketsDatabase(mf, worker);
  const db = await mf.getD1Database("DB", worker);
  await db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO replies (id, ticket_id, user, message, created_at)
       SELECT printf('%024x', 1000000 + i), ?2, 'bench', printf('reply %06d: ', i) || hex(randomblob(100)),
              strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds')
       FROM n`,
    )
    .bind(count, TICKET)
    .run();
}

/**
 * GETs `path` `count` times, one at a time.
 * @param {import("./bench-write-path.mjs").BenchWorker} worker
 * @param {string} path
 * @param {number} count
 */
async function getRepeatedly(worker, path, count) {
  /** @type {number[]} */
  const latencies = [];
  let bytes = 0;
  for (let n = 0; n < count; n++) {
    const t0 = performance.now();
    const res = await worker.fetch(`http://bench.local${path}`);
    bytes = (await res.arrayBuffer()).byteLength;
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    latencies.push(performance.now() - t0);
  }
  return { latencies, bytes };
}

/**
 * Prints bytes and p50 of each request with 20 and with 10,000 replies, and their ratios.
 * @param {import("miniflare").Miniflare} mf
 * @param {{ requests: number }} options
 */
export async function benchReplySize(mf, { requests }) {
  const [few, many] = DATABASES;
  if (!few || !many) return;
  for (const { worker, replies } of DATABASES) await addReplies(mf, worker, replies);
  const workers = { few: await mf.getWorker(few.worker), many: await mf.getWorker(many.worker) };
  console.log(`\nAnswer size and time, one ticket with ${few.replies} vs ${many.replies.toLocaleString("en")} replies, ${requests} requests each in ${ROUNDS} interleaved rounds:`);
  const p50 = (/** @type {number[]} */ values) => percentile([...values].sort((a, b) => a - b), 50);
  for (const path of ["/tickets?limit=50", `/tickets/${TICKET}`]) {
    const totals = { few: { latencies: /** @type {number[]} */ ([]), bytes: 0 }, many: { latencies: /** @type {number[]} */ ([]), bytes: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of /** @type {const} */ (["few", "many"])) {
        const r = await getRepeatedly(workers[name], path, Math.ceil(requests / ROUNDS));
        totals[name].latencies.push(...r.latencies);
        totals[name].bytes = r.bytes;
      }
    }
    const [a, b] = [totals.few, totals.many];
    console.log(
      `  GET ${path.padEnd(34)} ${few.replies} replies: ${String(a.bytes).padStart(6)} B p50 ${p50(a.latencies).toFixed(2)} ms   ` +
        `${many.replies.toLocaleString("en")}: ${String(b.bytes).padStart(6)} B p50 ${p50(b.latencies).toFixed(2)} ms   ` +
        `→ bytes ${(b.bytes / a.bytes).toFixed(2)}x, p50 ${(p50(b.latencies) / p50(a.latencies)).toFixed(2)}x`,
    );
  }
}
