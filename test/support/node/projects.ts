// Shared pieces of the vitest projects (see vitest.config.ts); each test area has a project.ts.
// Paths and names come from scripts/lib, which npm start, check, deploy and bench use too.
import { readFileSync } from "node:fs";
import path from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import type { V4WorkerOptions } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { readWorkerConfig } from "../../../scripts/lib/read-config.mjs";
import { ROOT } from "../../../scripts/lib/run.mjs";
import { workerOptions } from "../../../scripts/lib/worker-options.mjs";
import { CONFIGS, MIGRATIONS_DIR, SEED_FILE } from "../../../scripts/lib/workers.mjs";

export { CONFIGS, ROOT };


/**
 * A config's own top-level vars, for the bindings of the Worker under test: the plugin also reads
 * a local .dev.vars beside the config (npm start writes one, with a loopback allow-list and a
 * token), and these win over it, so tests run on what the config says on any machine.
 */
export const configVars = (config: string): Record<string, string> => readWorkerConfig(config).vars ?? {};

/** The runtime date the Workers declare (the gateway's): test Workers of our own use it too. */
export const COMPATIBILITY_DATE = readWorkerConfig(CONFIGS.gateway).compatibility_date as string;

/** The tickets database's migrations, for a `TEST_MIGRATIONS` binding (see test/support/apply-migrations.ts). */
export const ticketMigrations = () => readD1Migrations(path.join(ROOT, MIGRATIONS_DIR));

/** The demo seed's statements, for a `TEST_SEED` binding run after the migrations (it is not one). */
export const ticketSeed = () => unstable_splitSqlQuery(readFileSync(path.join(ROOT, SEED_FILE), "utf8"));

/** The bindings test/support/apply-migrations.ts reads: the tickets migrations, then the seed. */
export const migrationBindings = async () => ({ TEST_MIGRATIONS: await ticketMigrations(), TEST_SEED: ticketSeed() });

/**
 * The tickets D1 database's id, from tickets 1.0.0's config. A test Worker that binds `DB` with
 * this id shares the database with the tickets Workers running beside it (and can migrate it).
 */
export function ticketsDatabaseId(): string {
  const database = readWorkerConfig(CONFIGS.ticketsV100).d1_databases[0];
  if (!database?.database_id) throw new Error(`${CONFIGS.ticketsV100} declares no D1 database id`);
  return database.database_id;
}

/**
 * Test-only bindings of a Worker under test that is not a tickets Worker: `DB` on the tickets
 * database, to migrate it, and its migrations and seed.
 */
export const ticketsDatabaseBindings = async () => ({
  bindings: await migrationBindings(),
  d1Databases: { DB: ticketsDatabaseId() },
});

/**
 * The search Worker's own database, as its wrangler.toml declares it (binding, id), and its
 * migrations, for a `TEST_SEARCH_MIGRATIONS` binding (see test/search/apply-search-migrations.ts).
 */
export async function searchDatabase() {
  const database = readWorkerConfig(CONFIGS.search).d1_databases[0];
  if (!database?.database_id || !database.migrations_dir) throw new Error(`${CONFIGS.search} declares no D1 database with migrations`);
  const migrations = await readD1Migrations(path.resolve(path.dirname(path.join(ROOT, CONFIGS.search)), database.migrations_dir));
  return { binding: database.binding, id: database.database_id, migrations };
}

/** A tickets 1.0.1 that is down: every request answers 503, as a version that fails outright. */
export const ticketsDown: V4WorkerOptions = {
  name: "tickets-1-0-1-down",
  modules: true,
  compatibilityDate: COMPATIBILITY_DATE,
  script: `export default {
    fetch: () => Response.json({ error: { code: "internal_error", message: "down" } }, { status: 503 }),
  };`,
};

/** tickets 1.0.1 twice: as configured but healthy (FAILURE_RATE 0), and failing every ticket query. */
export const ticketsV101Variants = async (): Promise<V4WorkerOptions[]> => [
  await workerOptions({ config: CONFIGS.ticketsV101, vars: { FAILURE_RATE: "0" } }),
  await workerOptions({ config: CONFIGS.ticketsV101, name: "tickets-1-0-1-failing", vars: { FAILURE_RATE: "1" } }),
];
