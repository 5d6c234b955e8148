import { env } from "cloudflare:workers";
import { createDispatcher, type SuccessEvent } from "#shared/dispatch/index.ts";
import { ticketsRegistry } from "#shared/tickets-versions.ts";
import { changeSource } from "../../workers/search/src/change-source.ts";
import { pumpStep } from "../../workers/search/src/pump-step.ts";

/** The seed's tickets (test/support/apply-migrations.ts seeds the tickets database). */
export const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
export const AD_ON_IOS = "55e633dcfa7864d21a226053";

/** Adds a reply through tickets 1.0.0 (its change is logged by the write's own transaction); returns its id. */
export async function addReply(ticketId: string, message: string, user = "Kim"): Promise<string> {
  const res = await env.TICKETS_V1_0_0.fetch(`https://tickets/tickets/${ticketId}/replies`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user, message }),
  });
  if (res.status !== 201) throw new Error(`POST reply answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** The pump's change source over the tickets versions, with `v101` bound as 1.0.1; records who served. */
export function sourceWith(v101: Fetcher = env.TICKETS_V1_0_1) {
  const served: string[] = [];
  const dispatcher = createDispatcher({ registry: ticketsRegistry({ ...env, TICKETS_V1_0_1: v101 }) });
  dispatcher.onSuccess((event: SuccessEvent) => served.push(event.version));
  return { readChanges: changeSource(dispatcher), served };
}

/** Pumps the real change log until caught up, in batches of `batchSize`; returns the steps' outcomes. */
export async function pumpTickets(v101?: Fetcher, batchSize?: number) {
  const { readChanges, served } = sourceWith(v101);
  const outcomes: string[] = [];
  for (let step = 0; step < 1_000; step++) {
    const { outcome } = await pumpStep({ db: env.SEARCH_DB, readChanges, ...(batchSize ? { batchSize } : {}) });
    outcomes.push(outcome);
    if (outcome === "caught-up") return { outcomes, served };
  }
  throw new Error("the pump never caught up");
}

/** The keys the index should hold: every ticket and reply of the tickets database. */
export async function keysInTicketsDatabase(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT 'ticket:' || id AS doc_key FROM tickets UNION ALL SELECT 'reply:' || id FROM replies ORDER BY 1",
  ).all<{ doc_key: string }>();
  return results.map((row) => row.doc_key);
}

/** The log's head, read from the tickets database. */
export const headInTicketsDatabase = async () =>
  (await env.DB.prepare("SELECT coalesce(max(seq), 0) AS head FROM change_log").first<{ head: number }>())?.head ?? 0;
