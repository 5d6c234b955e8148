// Storage is fresh for every test file: bring the shared tickets database to the current schema and seed.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
