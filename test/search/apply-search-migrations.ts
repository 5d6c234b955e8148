// Storage is fresh for every test file: bring the search database to its schema (the tickets
// database gets its own from test/support/apply-migrations.ts, which runs first).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.SEARCH_DB, env.TEST_SEARCH_MIGRATIONS);
