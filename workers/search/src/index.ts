// The search Worker (placeholder until the pump and the index land).
import { DurableObject } from "cloudflare:workers";

export class SearchPump extends DurableObject<Env> {}

export default {
  fetch: () => Response.json({ error: { code: "not_found", message: "not yet" } }, { status: 404 }),
} satisfies ExportedHandler<Env>;
