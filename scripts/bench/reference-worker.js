// The bench's reference for the write path: the least a Worker can do for the same guarantees.
// A reply and its outbox row in one D1 batch; after the response, the Queue send and marking the
// row sent; a consumer applying each event to one SQLite Durable Object that keeps the latest 10
// and pushes each to its sockets. No validation, routing, versions, idempotency keys or logging:
// what the real path costs beyond this is the price of those.
import { DurableObject } from "cloudflare:workers";

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS replies (id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, user TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER)",
];

export class ReferenceFeed extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS feed (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, body TEXT NOT NULL)");
  }

  apply(event) {
    const reply = event.data;
    const sql = this.ctx.storage.sql;
    const inserted = sql.exec("INSERT OR IGNORE INTO feed (id, created_at, body) VALUES (?, ?, ?)", reply.replyId, reply.createdAt, JSON.stringify(reply)).rowsWritten;
    sql.exec("DELETE FROM feed WHERE id NOT IN (SELECT id FROM feed ORDER BY created_at DESC, id DESC LIMIT 10)");
    if (inserted) for (const ws of this.ctx.getWebSockets()) ws.send(JSON.stringify(reply));
  }

  fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
}

const feedOf = (env) => env.FEED.get(env.FEED.idFromName("latest"));

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/schema") {
      await env.DB.batch(SCHEMA.map((sql) => env.DB.prepare(sql)));
      return new Response(null, { status: 204 });
    }
    if (url.pathname === "/replies/live") return feedOf(env).fetch(request);
    const ticketId = url.pathname.split("/")[2];
    const { user, message } = await request.json();
    const now = new Date();
    const reply = { id: crypto.randomUUID(), ticketId, user, message, createdAt: now.toISOString() };
    const event = { id: crypto.randomUUID(), type: "reply.created", data: { ...reply, replyId: reply.id } };
    await env.DB.batch([
      env.DB.prepare("INSERT INTO replies (id, ticket_id, user, message, created_at) VALUES (?, ?, ?, ?, ?)").bind(reply.id, ticketId, user, message, reply.createdAt),
      env.DB.prepare("INSERT INTO outbox (id, payload, created_at) VALUES (?, ?, ?)").bind(event.id, JSON.stringify(event), now.getTime()),
    ]);
    ctx.waitUntil(
      (async () => {
        await env.EVENTS.send(event);
        await env.DB.prepare("UPDATE outbox SET sent_at = ? WHERE id = ?").bind(Date.now(), event.id).run();
      })(),
    );
    return Response.json(reply, { status: 201 });
  },

  async queue(batch, env) {
    const feed = feedOf(env);
    for (const message of batch.messages) {
      await feed.apply(message.body);
      message.ack();
    }
  },
};
