// The Workers of the system, in the order `wrangler dev` takes them (the first one is served on
// the port) and the reverse of the order they deploy in (services before the gateway binding them).

/** wrangler configs, relative to the repository root. */
export const WORKER_CONFIGS = ["wrangler.toml", "workers/tickets/v1.0.0/wrangler.toml", "workers/tickets/v1.0.1/wrangler.toml"];

/** The config whose D1 migrations the local and remote databases get (every tickets version shares them). */
export const MIGRATIONS_CONFIG = "workers/tickets/v1.0.0/wrangler.toml";
export const DATABASE_NAME = "tickets";

/** One local state folder for every Worker, `wrangler dev` and `wrangler d1` alike. */
export const PERSIST_DIR = ".wrangler/state";
