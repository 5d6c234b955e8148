// Waiting for a local system started in the background to answer.

/**
 * Resolves once `GET base/health` answers 200; rejects when `exited()` turns true or after
 * `timeoutMs`, naming `logFile` for the reason.
 *
 * @example
 * ```js
 * await waitUntilReady("http://127.0.0.1:8787", { exited: () => false, logFile: "the terminal above" });
 * ```
 * @param {string} base
 * @param {{ exited: () => boolean, logFile: string, timeoutMs?: number }} options
 */
export async function waitUntilReady(base, { exited, logFile, timeoutMs = 90_000 }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the system exited while starting; see ${logFile}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the system did not answer within ${timeoutMs / 1000} s; see ${logFile}`);
}
