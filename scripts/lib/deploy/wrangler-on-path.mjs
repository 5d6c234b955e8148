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
 * @typedef {object} Attempt What one command did, both streams captured (without colours).
 * @property {number | string | null} status The exit code (a signal's name if one ended it).
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * @typedef {object} Wrangler
 * @property {boolean} dryRun
 * @property {(args: string[], options?: RunOptions) => Promise<string | null>} run Prints the
 *   command, then runs it: resolves with its stdout (captured, without colours) or "" (not captured), or null when a
 *   dry run skipped it; rejects with a DeployError naming the command when it fails.
 * @property {(args: string[], options?: { note?: string }) => Promise<Attempt | null>} attempt Prints
 *   the command, then runs it with stdout and stderr captured (neither shown) and resolves with both
 *   and the exit code, failed or not (null when a dry run skipped it): for a command whose failure
 *   may be an answer, which the caller tells from wrangler's message. Its stderr is the caller's to show.
 * @property {(args: string[], status: Attempt["status"]) => DeployError} failed The error for a
 *   command that failed, its message already shown.
 */

/** Colour codes, should wrangler be forced to print them (FORCE_COLOR): parsers get plain text. */
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * A word as a shell would need it. A dry run's `<placeholder>` (a file the real run writes) stays
 * as it is: it is there to be read, not pasted.
 * @param {string} arg
 */
const quote = (arg) => (/^[\w@%+=:,./-]+$|^<[\w-]+>$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

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
  /**
   * Prints the command, then runs it (null: a dry run skipped it).
   * @param {string[]} args
   * @param {{ note?: string, offline?: boolean, stdout: "pipe" | "inherit", stderr: "pipe" | "inherit", echo?: boolean }} options
   * @returns {Promise<Attempt | null>}
   */
  async function start(args, { note, offline = false, stdout: out, stderr: err, echo = false }) {
    const skipped = dryRun && !offline;
    const notes = [note, skipped && "dry run: not run"].filter(Boolean).join("; ");
    console.log(`  $ ${formatCommand(args)}${notes ? `   # ${notes}` : ""}`);
    if (skipped) return null;

    const child = spawn("wrangler", args, { cwd: root, stdio: ["ignore", out, err] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (/** @type {string} */ chunk) => {
      stdout += chunk;
      if (echo) process.stdout.write(chunk);
    });
    child.stderr?.setEncoding("utf8").on("data", (/** @type {string} */ chunk) => (stderr += chunk));
    const status = await new Promise((/** @type {(status: Attempt["status"]) => void} */ resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? signal));
    }).catch((/** @type {NodeJS.ErrnoException} */ error) => {
      if (error.code !== "ENOENT") throw error;
      throw new DeployError("wrangler was not found on PATH.", "Run the deploy through npm (`npm run deploy -- ...`): it puts node_modules/.bin first on PATH.");
    });
    return { status, stdout: stdout.replace(ANSI, ""), stderr: stderr.replace(ANSI, "") };
  }
  /** @type {Wrangler["failed"]} */
  const failed = (args, status) => new DeployError(`\`${formatCommand(args)}\` failed (exit ${status}); wrangler's message is above.`);

  return {
    dryRun,
    failed,
    async run(args, { capture = false, echo = false, mayFail = false, offline = false, note } = {}) {
      const done = await start(args, { note, offline, echo, stdout: capture ? "pipe" : "inherit", stderr: "inherit" });
      if (done === null) return null;
      if (done.status !== 0 && !mayFail) throw failed(args, done.status);
      return done.stdout;
    },
    attempt: (args, { note } = {}) => start(args, { note, stdout: "pipe", stderr: "pipe" }),
  };
}
