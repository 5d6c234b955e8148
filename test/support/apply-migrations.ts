// Storage is fresh for every test file: bring the shared tickets database to the current schema and seed.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// The demo seed is not a migration (a deployed database starts without it): run after them, as npm start does.
await env.DB.batch(env.TEST_SEED.map((sql) => env.DB.prepare(sql)));
