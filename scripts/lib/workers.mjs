// The Workers of the system. `wrangler dev` takes them in this order (the first, the gateway, is
// served on the port); deploys go in DEPLOY_ORDER, every service before the Workers that bind it.

/** Each Worker's wrangler config, relative to the repository root. */
export const CONFIGS = {
  gateway: "wrangler.toml",
  ticketsV100: "workers/tickets/v1.0.0/wrangler.toml",
  ticketsV101: "workers/tickets/v1.0.1/wrangler.toml",
  replyFeed: "workers/reply-feed/wrangler.toml",
};

/** The gateway first, then each service it binds. */
export const GATEWAY_CONFIG = CONFIGS.gateway;
export const WORKER_CONFIGS = [
  GATEWAY_CONFIG,
  CONFIGS.ticketsV100,
  CONFIGS.ticketsV101,
  // After the tickets versions: it binds them (and consumes the Queue they produce to).
  CONFIGS.replyFeed,
];

/** The config whose D1 migrations the local and remote databases get (every tickets version shares them). */
export const MIGRATIONS_CONFIG = CONFIGS.ticketsV100;
/** Those migrations (schema and seed), relative to the repository root. */
export const MIGRATIONS_DIR = "workers/tickets/migrations";
export const DATABASE_NAME = "tickets";

/**
 * One local state folder for every Worker, `wrangler dev` and `wrangler d1` alike. STATE_DIR
 * moves it (the demo runs on a fresh one, apart from a running `npm start`).
 */
export const PERSIST_DIR = process.env.STATE_DIR ?? ".wrangler/state";

/** The gateway binds every other Worker, so it deploys last; the rest deploy in their listed order. */
export const DEPLOY_ORDER = () => [...WORKER_CONFIGS.slice(1), GATEWAY_CONFIG];
