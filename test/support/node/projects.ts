// Shared pieces of the vitest projects (see vitest.config.ts); each test area has a project.ts.
import path from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-pool-workers";

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
