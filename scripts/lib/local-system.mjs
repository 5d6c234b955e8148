// The whole system in one Miniflare (workerd) process, driven from Node: what the benchmark
// measures. Same bundles, bindings and runtime as `wrangler dev`, with an in-memory D1.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { readWorkerConfig } from "./read-config.mjs";
import { ROOT } from "./run.mjs";
import { workerOptions } from "./worker-options.mjs";
import { CONFIGS, MIGRATIONS_DIR, SEED_FILE } from "./workers.mjs";

/**
 * Runs each SQL file (split into statements) against `db`, one batch a file, in order.
 * @param {Awaited<ReturnType<Miniflare["getD1Database"]>>} db
 * @param {string[]} files
 */
async function runSqlFiles(db, files) {
  for (const file of files) {
    const statements = unstable_splitSqlQuery(readFileSync(file, "utf8"));
    await db.batch(statements.map((sql) => db.prepare(sql)));
  }
}

/** @param {string} dir */
const migrationFiles = (dir) => readdirSync(dir).filter((name) => name.endsWith(".sql")).sort().map((file) => path.join(dir, file));

/**
 * Applies every tickets migration, then the seed, to the D1 database `workerName` binds as `DB`
 * (by default the one every tickets version shares).
 *
 * @example
 * ```js
 * await migrateTicketsDatabase(mf, "tickets-other-db");
 * ```
 * @param {Miniflare} mf
 * @param {string} [workerName]
 */
export async function migrateTicketsDatabase(mf, workerName = "tickets-1-0-0") {
  const db = await mf.getD1Database("DB", workerName);
  await runSqlFiles(db, [...migrationFiles(path.join(ROOT, MIGRATIONS_DIR)), path.join(ROOT, SEED_FILE)]);
}

/**
 * Applies the search Worker's migrations (its config's migrations_dir) to its own database.
 *
 * @example
 * ```js
 * await migrateSearchDatabase(mf);
 * ```
 * @param {Miniflare} mf
 */
export async function migrateSearchDatabase(mf) {
  const config = readWorkerConfig(CONFIGS.search);
  const database = config.d1_databases[0];
  if (!database?.migrations_dir || !config.name) throw new Error(`${CONFIGS.search} declares no D1 database with migrations`);
  const db = await mf.getD1Database(database.binding, config.name);
  await runSqlFiles(db, migrationFiles(path.resolve(path.dirname(path.join(ROOT, CONFIGS.search)), database.migrations_dir)));
}

/**
 * Starts Miniflare with `workers` (options from worker-options.mjs; the search Worker among them,
 * as the gateway binds it), migrates the tickets database and the search database, and discards the Workers' log lines (one per dispatch attempt would drown the output).
 * @param {import("miniflare").V4WorkerOptions[]} workers
 */
export async function startLocalSystem(workers) {
  // Worker options are in wrangler's (miniflare 4) shape; miniflare 5 converts them.
  const mf = new Miniflare(convertV4MiniflareOptions({ workers, handleStructuredLogs: () => {} }));
  await mf.ready;
  await migrateTicketsDatabase(mf);
  await migrateSearchDatabase(mf);
  return mf;
}

export { CONFIGS, workerOptions };
