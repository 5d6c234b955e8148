// Runs `wrangler` as found on PATH, for the deploy. Under `npm run deploy` node_modules/.bin is
// first on PATH, so that is the project's wrangler; a test puts a stand-in first instead.
// (scripts/lib/run.mjs runs the node_modules copy directly, for npm start and check.)
import { spawn } from "node:child_process";
import { DeployError } from "./deploy-error.mjs";

/**
 * @typedef {object} RunOptions
 * @property {boolean} [capture] Collect stdout and return it (else it goes straight to the terminal).
 * @property {boolean} [echo] With capture: print stdout as it comes too.
 * @property {boolean} [mayFail] Return stdout even when wrangler exits non-zero.
 * @property {boolean} [offline] Runs in a dry run too: the command contacts nobody (bundling).
 * @property {string} [note] Printed after the command, e.g. when it runs only in some cases.
 */

/**
 * @typedef {object} Wrangler
 * @property {boolean} dryRun
 * @property {(args: string[], options?: RunOptions) => Promise<string | null>} run Prints the
 *   command, then runs it: resolves with its stdout (captured, without colours) or "" (not captured), or null when a
 *   dry run skipped it; rejects with a DeployError naming the command when it fails.
 */

/** Colour codes, should wrangler be forced to print them (FORCE_COLOR): parsers get plain text. */
const ANSI = /\u001b\[[0-9;]*m/g;

/** @param {string} arg */
const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

/**
 * The printable form of a wrangler command, as a user could type it after `npm exec wrangler --`.
 *
 * @example
 * ```js
 * formatCommand(["d1", "create", "tickets-staging", "--location", "enam"]); // "wrangler d1 create tickets-staging --location enam"
 * ```
 * @param {string[]} args
 */
export const formatCommand = (args) => ["wrangler", ...args].map(quote).join(" ");

/**
 * A wrangler runner for one deploy: every command is printed before it runs, in the project root,
 * with no stdin (wrangler then takes its non-interactive path: no prompt can stall the deploy).
 *
 * @example
 * ```js
 * const wrangler = createWrangler({ root: "/repo", dryRun: false });
 * const json = await wrangler.run(["d1", "list", "--json"], { capture: true });
 * ```
 * @param {{ root: string, dryRun: boolean }} options
 * @returns {Wrangler}
 */
export function createWrangler({ root, dryRun }) {
  return {
    dryRun,
    async run(args, { capture = false, echo = false, mayFail = false, offline = false, note } = {}) {
      const skipped = dryRun && !offline;
      const notes = [note, skipped && "dry run: not run"].filter(Boolean).join("; ");
      console.log(`  $ ${formatCommand(args)}${notes ? `   # ${notes}` : ""}`);
      if (skipped) return null;

      const child = spawn("wrangler", args, { cwd: root, stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"] });
      let stdout = "";
      child.stdout?.setEncoding("utf8").on("data", (/** @type {string} */ chunk) => {
        stdout += chunk;
        if (echo) process.stdout.write(chunk);
      });
      const status = await new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code, signal) => resolve(code ?? signal));
      }).catch((/** @type {NodeJS.ErrnoException} */ err) => {
        if (err.code !== "ENOENT") throw err;
        throw new DeployError("wrangler was not found on PATH.", "Run the deploy through npm (`npm run deploy -- ...`): it puts node_modules/.bin first on PATH.");
      });
      if (status !== 0 && !mayFail) {
        throw new DeployError(`\`${formatCommand(args)}\` failed (exit ${status}); wrangler's message is above.`);
      }
      return stdout.replace(ANSI, "");
    },
  };
}
