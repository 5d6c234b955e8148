// npm start's cron triggers. wrangler dev fires none, so the outbox re-drive, pruning and the
// feed's reconcile would never run locally; this fires each service's crons through the gateway
// (see workers/gateway/src/local-cron-relay.ts): once at start-up, which heals what a crashed
// local process lost (its in-memory Queue), then on each cron's own schedule.
import { Cron } from "croner";
import { readWorkerConfig } from "./read-config.mjs";
import { CONFIGS, GATEWAY_CONFIG } from "./workers.mjs";

/**
 * @typedef {object} LocalCron
 * @property {string} binding The gateway's service binding to the Worker, e.g. "TICKETS_V1_0_0".
 * @property {string} worker That Worker's name.
 * @property {string} cron One of its cron expressions.
 */

/**
 * Every cron trigger of every service the gateway binds, read from the services' own configs.
 *
 * @example
 * ```js
 * localCrons(); // [{ binding: "TICKETS_V1_0_0", worker: "tickets-1-0-0", cron: "* * * * *" }, ...]
 * ```
 * @returns {LocalCron[]}
 */
export function localCrons() {
  /** @type {{ binding: string, service: string }[]} */
  const services = readWorkerConfig(GATEWAY_CONFIG).services ?? [];
  const bindings = new Map(services.map((service) => [service.service, service.binding]));
  return Object.values(CONFIGS)
    .filter((config) => config !== GATEWAY_CONFIG)
    .flatMap((config) => {
      const { name, triggers } = readWorkerConfig(config);
      const binding = name && bindings.get(name);
      if (!binding) return [];
      /** @type {string[]} */
      const crons = triggers.crons ?? [];
      return crons.map((cron) => ({ binding, worker: /** @type {string} */ (name), cron }));
    });
}

/**
 * Fires one cron of one service through the gateway at `base`; a failure is reported, not thrown
 * (the next run will try again, as on Cloudflare).
 * @param {string} base
 * @param {LocalCron} entry
 */
async function fire(base, { binding, worker, cron }) {
  const url = `${base}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(`${binding} ${cron}`)}`;
  try {
    const res = await fetch(url);
    await res.body?.cancel();
    if (!res.ok) console.error(`cron "${cron}" of ${worker} failed (HTTP ${res.status}); see the log above`);
  } catch (err) {
    console.error(`cron "${cron}" of ${worker} could not be fired: ${err instanceof Error ? err.message : err}`);
  }
}

/**
 * Fires every service's crons once now, then on their schedules (UTC), until `stop()`.
 *
 * @example
 * ```js
 * const crons = await startLocalCrons("http://127.0.0.1:8787");
 * process.on("exit", () => crons.stop());
 * ```
 * @param {string} base The gateway's base URL.
 * @param {LocalCron[]} [entries]
 */
export async function startLocalCrons(base, entries = localCrons()) {
  await Promise.all(entries.map((entry) => fire(base, entry)));
  const jobs = entries.map(
    (entry) => new Cron(entry.cron, { timezone: "UTC", protect: true }, () => fire(base, entry)),
  );
  return { entries, stop: () => jobs.forEach((job) => job.stop()) };
}
