import { logEvent } from "#shared/http/log.ts";

/**
 * A service binding's `scheduled()`: runs the bound Worker's scheduled handler. workerd has it;
 * @cloudflare/workers-types declares it only in its experimental set.
 */
interface SchedulableFetcher {
  scheduled(options: { cron: string; scheduledTime: Date }): Promise<{ outcome: string } | undefined>;
}

/** The services whose cron triggers may be relayed, by the gateway's binding to them. */
const RELAYABLE = ["TICKETS_V1_0_0", "TICKETS_V1_0_1", "REPLY_FEED_V1_0_0"] as const;
type RelayableBinding = (typeof RELAYABLE)[number];

/**
 * `wrangler dev` fires no cron triggers, and its `/cdn-cgi/local/scheduled` reaches only the first
 * Worker: the gateway. `npm start` therefore fires each service's crons through the gateway, as
 * a scheduled event whose `cron` is "<binding> <expression>", and this relays it to that service's
 * own `scheduled` handler. Only when `LOCAL_CRON_RELAY` is "true", which `npm start` alone sets:
 * deployed, every service runs its own cron triggers and the gateway has none.
 *
 * @example
 * ```ts
 * export default { fetch: app.fetch, scheduled: (controller, env) => relayLocalCron(controller, env) };
 * // curl "http://127.0.0.1:8787/cdn-cgi/local/scheduled?cron=TICKETS_V1_0_0+*+*+*+*+*"
 * ```
 */
export async function relayLocalCron(controller: ScheduledController, env: Env): Promise<void> {
  if (env.LOCAL_CRON_RELAY !== "true") {
    logEvent("warn", "gateway.cron_ignored", { cron: controller.cron, why: "LOCAL_CRON_RELAY is not set" });
    return;
  }
  const [binding, ...fields] = controller.cron.split(" ");
  const target = RELAYABLE.find((name): name is RelayableBinding => name === binding);
  if (!target || fields.length === 0) {
    throw new Error(`cannot relay "${controller.cron}": expected "<${RELAYABLE.join("|")}> <cron expression>"`);
  }
  const cron = fields.join(" ");
  const service = env[target] as unknown as SchedulableFetcher;
  const result = await service.scheduled({ cron, scheduledTime: new Date(controller.scheduledTime) });
  const outcome = result?.outcome ?? "ok";
  logEvent(outcome === "ok" ? "info" : "error", "gateway.cron_relayed", { binding: target, cron, outcome });
  if (outcome !== "ok") throw new Error(`${target}'s scheduled handler for "${cron}" ended with "${outcome}"`);
}
