// The system the demo talks to: one given by URL, or one it starts itself (the same way as
// `npm start`, on a free port and a fresh local state folder) and stops when it is done.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { ROOT } from "./run.mjs";

const STATE_DIR = ".wrangler/demo-state";
const LOG_FILE = path.join(ROOT, ".wrangler/demo.log");
const READY_TIMEOUT_MS = 90_000;

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
 * Waits until `GET base/health` answers 200.
 * @param {string} base
 * @param {() => boolean} exited
 */
async function waitUntilReady(base, exited) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the system exited while starting; see ${LOG_FILE}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the system did not answer within ${READY_TIMEOUT_MS / 1000} s; see ${LOG_FILE}`);
}

/**
 * The base URL of the system to demonstrate, and how to stop it (a no-op for a given URL).
 * @param {string | undefined} givenUrl
 * @returns {Promise<{ base: string, stop: () => Promise<void> }>}
 */
export async function openSystem(givenUrl) {
  if (givenUrl) return { base: givenUrl.replace(/\/$/, ""), stop: async () => {} };

  rmSync(path.join(ROOT, STATE_DIR), { recursive: true, force: true });
  mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const port = await freePort();
  const log = openSync(LOG_FILE, "w");
  // Its own process group, so stopping it stops wrangler and workerd with it.
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), STATE_DIR },
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
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(base, () => exited);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, stop };
}
