// Shared pieces of the vitest projects (see vitest.config.ts); each test area has a project.ts.
import path from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { unstable_readConfig } from "wrangler";

/** Every Worker and test project uses the same runtime date, so behaviour matches `wrangler dev`. */
export const COMPATIBILITY_DATE = "2026-04-20";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Worker configs, relative to the repository root. */
export const CONFIGS = {
  gateway: "wrangler.toml",
  ticketsV100: "workers/tickets/v1.0.0/wrangler.toml",
  ticketsV101: "workers/tickets/v1.0.1/wrangler.toml",
  replyFeed: "workers/reply-feed/wrangler.toml",
} as const;

/** The tickets database's migrations, for a `TEST_MIGRATIONS` binding (see test/support/apply-migrations.ts). */
export const ticketMigrations = () => readD1Migrations(path.join(ROOT, "workers/tickets/migrations"));

/**
 * The tickets D1 database's id, from tickets 1.0.0's config. A test Worker that binds `DB` with
 * this id shares the database with the tickets Workers running beside it (and can migrate it).
 */
export function ticketsDatabaseId(): string {
  const database = unstable_readConfig({ config: path.join(ROOT, CONFIGS.ticketsV100) }).d1_databases[0];
  if (!database?.database_id) throw new Error(`${CONFIGS.ticketsV100} declares no D1 database id`);
  return database.database_id;
}
