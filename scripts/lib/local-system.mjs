// The whole system in one Miniflare (workerd) process, driven from Node: what the benchmark
// measures. Same bundles, bindings and runtime as `wrangler dev`, with an in-memory D1.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { ROOT } from "./run.mjs";
import { workerOptions } from "./worker-options.mjs";
import { CONFIGS, MIGRATIONS_DIR, SEED_FILE } from "./workers.mjs";

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
  const dir = path.join(ROOT, MIGRATIONS_DIR);
  const migrations = readdirSync(dir).filter((name) => name.endsWith(".sql")).sort().map((file) => path.join(dir, file));
  for (const file of [...migrations, path.join(ROOT, SEED_FILE)]) {
    const statements = unstable_splitSqlQuery(readFileSync(file, "utf8"));
    await db.batch(statements.map((sql) => db.prepare(sql)));
  }
}

/**
 * Starts Miniflare with `workers` (options from worker-options.mjs), migrates the tickets
 * database, and discards the Workers' log lines (one per dispatch attempt would drown the output).
 * @param {import("miniflare").V4WorkerOptions[]} workers
 */
export async function startLocalSystem(workers) {
  // Worker options are in wrangler's (miniflare 4) shape; miniflare 5 converts them.
  const mf = new Miniflare(convertV4MiniflareOptions({ workers, handleStructuredLogs: () => {} }));
  await mf.ready;
  await migrateTicketsDatabase(mf);
  return mf;
}

export { CONFIGS, workerOptions };
