// Finds the environment's D1 database, or creates it: a second run finds it and creates nothing.
import { DeployError } from "./deploy-error.mjs";

/**
 * The id of the database named `name` in `wrangler d1 list --json` output (undefined: not listed).
 *
 * @example
 * ```js
 * findDatabaseId('[{ "uuid": "d3b0…", "name": "tickets-staging" }]', "tickets-staging"); // "d3b0…"
 * ```
 * @param {string} listJson
 * @param {string} name
 * @returns {string | undefined}
 */
export function findDatabaseId(listJson, name) {
  /** @type {unknown} */
  let list;
  try {
    list = JSON.parse(listJson);
  } catch {
    throw new DeployError("`wrangler d1 list --json` did not answer with JSON; its output is above.");
  }
  if (!Array.isArray(list)) throw new DeployError("`wrangler d1 list --json` did not answer with a list.");
  return list.find((db) => db?.name === name)?.uuid;
}

/**
 * Finds the database, or creates it with the location hint and lists again for the id Cloudflare
 * gave it (the list is the one place the id is read from, found or created). Null in a dry run,
 * which shows the commands of a first deploy.
 *
 * @example
 * ```js
 * await ensureDatabase(wrangler, { name: "tickets-staging", locationHint: "enam" }); // "d3b07384-…"
 * ```
 * @param {import("./wrangler-on-path.mjs").Wrangler} wrangler
 * @param {{ name: string, locationHint: string }} database
 * @returns {Promise<string | null>}
 */
export async function ensureDatabase(wrangler, { name, locationHint }) {
  const listed = async () => {
    const out = await wrangler.run(["d1", "list", "--json"], { capture: true });
    return out === null ? undefined : findDatabaseId(out, name);
  };
  const found = await listed();
  if (found) {
    console.log(`  found ${name}: ${found}`);
    return found;
  }
  // Its stdout is a config snippet to paste by hand: not needed, the deploy writes the id itself.
  await wrangler.run(["d1", "create", name, "--location", locationHint], { capture: true, note: "only when it is not listed" });
  if (wrangler.dryRun) return null;
  const created = await listed();
  if (!created) throw new DeployError(`Created database ${name}, but \`wrangler d1 list --json\` does not list it.`, "Wait a moment and deploy again: the next run finds it and creates nothing.");
  console.log(`  created ${name}: ${created}`);
  return created;
}
