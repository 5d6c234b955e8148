// Finds the environment's Queues, or creates the missing ones: a second run creates nothing.
// `wrangler queues list` (4.156) has no --json: it prints a table, one page of queues per call.

/** The cli-table3 column separator wrangler's tables use. */
const BAR = "\u2502";

/**
 * The queue names in one page of `wrangler queues list` output: the banner, then a table whose
 * header row names the columns (id, name, [jurisdiction,] created_on, ...). Found by the header,
 * not by position, so a jurisdiction column does not matter. An empty page has no table.
 *
 * @example
 * ```js
 * parseQueueNames("│ id │ name │\n├─┼─┤\n│ 9f0e… │ reply-events-staging │"); // ["reply-events-staging"]
 * ```
 * @param {string} output
 * @returns {string[]}
 */
export function parseQueueNames(output) {
  const rows = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith(BAR))
    .map((line) => line.slice(1, line.lastIndexOf(BAR)).split(BAR).map((cell) => cell.trim()));
  const [header, ...data] = rows;
  const column = header?.indexOf("name") ?? -1;
  if (column < 0) return [];
  return data.map((cells) => cells[column] ?? "").filter(Boolean);
}

/** More pages than any account here has; a safety stop should a page never come back empty. */
const MAX_PAGES = 50;

/**
 * Lists queues page by page until every wanted one is seen or a page adds nothing new, then
 * creates the missing ones, in the given order (a dead letter queue needs no order, but the
 * output reads better). A dry run shows the commands of a first deploy.
 *
 * @example
 * ```js
 * await ensureQueues(wrangler, ["reply-events-staging", "reply-events-dlq-staging"]); // the ones it created
 * ```
 * @param {import("./wrangler-on-path.mjs").Wrangler} wrangler
 * @param {string[]} wanted
 * @returns {Promise<string[]>}
 */
export async function ensureQueues(wrangler, wanted) {
  const seen = new Set();
  for (let page = 1; page <= MAX_PAGES && wanted.some((name) => !seen.has(name)); page++) {
    const out = await wrangler.run(page === 1 ? ["queues", "list"] : ["queues", "list", "--page", String(page)], { capture: true });
    const names = out === null ? [] : parseQueueNames(out);
    if (!names.some((name) => !seen.has(name))) break;
    for (const name of names) seen.add(name);
  }
  const missing = wanted.filter((name) => !seen.has(name));
  for (const name of wanted.filter((n) => seen.has(n))) console.log(`  found ${name}`);
  for (const name of missing) {
    await wrangler.run(["queues", "create", name], { capture: true, note: "only when it is not listed" });
  }
  return missing;
}
