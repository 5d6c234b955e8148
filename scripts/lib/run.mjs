// Runs wrangler (from node_modules) as a child process that stops when this process is stopped.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// wrangler's package exports only its API, so its CLI is found beside its package.json.
const WRANGLER = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin/wrangler.js");

/**
 * Starts `wrangler ...args` in the repository root. Ctrl-C (SIGINT) and SIGTERM are passed on, so
 * stopping the parent leaves nothing running.
 * @param {string[]} args
 * @param {{ stdio?: import("node:child_process").StdioOptions, env?: NodeJS.ProcessEnv }} [options]
 */
export function startWrangler(args, options = {}) {
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    stdio: options.stdio ?? "inherit",
    env: { ...process.env, ...options.env },
  });
  const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  child.on("exit", () => {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
    process.off("SIGHUP", forward);
  });
  return child;
}

/**
 * Runs `wrangler ...args` to completion; rejects when it fails.
 * @param {string[]} args
 * @param {{ stdio?: import("node:child_process").StdioOptions }} [options] e.g. stdout ignored for a noisy command
 */
export function runWrangler(args, options = {}) {
  return new Promise((resolve, reject) => {
    startWrangler(args, options).on("exit", (code, signal) =>
      code === 0 ? resolve(undefined) : reject(new Error(`wrangler ${args.join(" ")} failed (${signal ?? code})`)),
    );
  });
}
