// A webhook receiver for the tests, run as its own Worker. The webhooks Worker's outbound fetch is
// routed here (Miniflare's outboundService), so https://hooks.example.com/... passes the SSRF
// guard and lands in this Worker. It records every POST in its own D1 database (LOG) and answers
// by path; GET /_log lists what it recorded (over the RECEIVER service binding).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {D1Database} db */
async function ensureLog(db) {
  await db.prepare(
    `CREATE TABLE IF NOT EXISTS requests (seq INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT, webhook_id TEXT,
       webhook_timestamp TEXT, webhook_signature TEXT, content_type TEXT, body TEXT)`,
  ).run();
}

/** Requests this receiver got before on `path` for the same webhook-id. */
async function seenBefore(db, path, id) {
  const row = await db.prepare("SELECT count(*) AS n FROM requests WHERE path = ?1 AND webhook_id = ?2").bind(path, id).first();
  return row.n - 1;
}

/** Waits until delivery `deliveryId` is delivered in the tickets database (up to 3 s): true if it was. */
async function waitDelivered(db, deliveryId) {
  for (let i = 0; i < 300; i++) {
    const row = await db.prepare("SELECT status FROM webhook_deliveries WHERE id = ?1").bind(deliveryId).first();
    if (row?.status === "delivered") return true;
    await sleep(10);
  }
  return false;
}

export default {
  /** @param {Request} request */
  async fetch(request, env) {
    const url = new URL(request.url);
    await ensureLog(env.LOG);
    if (request.method === "GET" && url.pathname === "/_log") {
      const { results } = await env.LOG.prepare("SELECT * FROM requests ORDER BY seq").all();
      return Response.json(results);
    }
    const body = await request.text();
    const id = request.headers.get("webhook-id");
    await env.LOG.prepare(
      "INSERT INTO requests (path, webhook_id, webhook_timestamp, webhook_signature, content_type, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
      .bind(url.pathname, id, request.headers.get("webhook-timestamp"), request.headers.get("webhook-signature"), request.headers.get("content-type"), body)
      .run();
    const [, kind, arg] = url.pathname.split("/");
    switch (kind) {
      case "ok":
        return new Response("ok");
      case "fail":
        return new Response("receiver failed", { status: 500 });
      case "huge":
        return new Response("x".repeat(5000), { status: 500 });
      case "gone":
        return new Response("gone", { status: 410 });
      case "busy":
        return new Response("busy", { status: Number(url.searchParams.get("status") ?? 429), headers: { "retry-after": url.searchParams.get("after") ?? "120" } });
      case "redirect":
        return new Response(null, { status: 302, headers: { location: "https://hooks.example.com/ok" } });
      case "flaky":
        return (await seenBefore(env.LOG, url.pathname, id)) === 0 ? new Response("first try fails", { status: 500 }) : new Response("ok");
      case "slow":
        await sleep(Number(url.searchParams.get("ms") ?? 5000));
        return new Response("late");
      case "wait-for":
        // Answers only once the other delivery `arg` is recorded as delivered (or after 3 s):
        // its body tells the test which, through the delivery log.
        return new Response((await waitDelivered(env.TICKETS, arg)) ? "saw it delivered" : "never saw it delivered", { status: 500 });
      default:
        return new Response("no such receiver path", { status: 404 });
    }
  },
};
