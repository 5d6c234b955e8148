// The whole system under `wrangler dev`, started the way `npm start` starts it (scripts/start.mjs)
// but on a free port and a local state folder of its own, for the demo and the black-box tests.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { ROOT } from "./run.mjs";
import { waitUntilReady } from "./wait-ready.mjs";

/** A port nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * @typedef {object} DevSystem
 * @property {string} base The gateway's base URL.
 * @property {() => Promise<void>} stop Ctrl-C, as a user would; SIGKILL if it has not exited 10 s later.
 * @property {() => Promise<void>} crash SIGKILL to every process of it at once, as a power cut would.
 */

/**
 * Starts the system on a free port, on its own state folder (emptied first unless `keepState`),
 * logging to `name`.log.
 *
 * @example
 * ```js
 * const system = await startDevSystem("demo");
 * try { await fetch(`${system.base}/tickets`); } finally { await system.stop(); }
 * ```
 * @param {string} name Names the state folder and log file under .wrangler/.
 * @param {{ keepState?: boolean, ticketsV101FailureRate?: string }} [options] `keepState`: start on the state a previous
 *   run left. `ticketsV101FailureRate`: tickets 1.0.1's FAILURE_RATE for this run only ("1": every ticket query fails).
 * @returns {Promise<DevSystem>}
 */
export async function startDevSystem(name, options = {}) {
  const stateDir = `.wrangler/${name}-state`;
  const logFile = path.join(ROOT, `.wrangler/${name}.log`);
  if (!options.keepState) rmSync(path.join(ROOT, stateDir), { recursive: true, force: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  const port = await freePort();
  const log = openSync(logFile, options.keepState ? "a" : "w");
  // Its own process group, so stopping it stops wrangler and workerd with it.
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      STATE_DIR: stateDir,
      ...(options.ticketsV101FailureRate === undefined ? {} : { TICKETS_V1_0_1_FAILURE_RATE: options.ticketsV101FailureRate }),
    },
    stdio: ["ignore", log, log],
    detached: true,
  });
  let exited = false;
  const done = new Promise((resolve) => child.on("exit", () => resolve((exited = true))));
  const stop = async () => {
    if (!exited && child.pid) process.kill(-child.pid, "SIGINT");
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (!exited && child.pid) process.kill(-child.pid, "SIGKILL");
  };
  const crash = async () => {
    if (!exited && child.pid) process.kill(-child.pid, "SIGKILL");
    await done;
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(base, { exited: () => exited, logFile });
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, stop, crash };
}
