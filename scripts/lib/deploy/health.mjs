// After the deploy: the gateway's public URL, as wrangler deploy prints it, and a check that the
// deployed gateway answers there.

/**
 * The URL `wrangler deploy` printed for the Worker: the indented URL lines under "Deployed NAME
 * triggers", the workers.dev one first. Null when it printed none (workers_dev off, no routes).
 *
 * @example
 * ```js
 * parseDeployedUrl("Deployed gateway-staging triggers (0.01 sec)\n  https://gateway-staging.example.workers.dev\n");
 * // "https://gateway-staging.example.workers.dev"
 * ```
 * @param {string} output
 * @returns {string | null}
 */
export function parseDeployedUrl(output) {
  const urls = [...output.matchAll(/^\s+(https?:\/\/\S+?)\/?\s*$/gm)].map((m) => /** @type {string} */ (m[1]));
  return urls.find((url) => new URL(url).hostname.endsWith(".workers.dev")) ?? urls[0] ?? null;
}

/**
 * Calls `GET url/health` until it answers 200 with the gateway's JSON, `tries` times at most,
 * `delayMs` apart: a new Worker (and a new workers.dev subdomain more so) takes a moment to be
 * reachable everywhere. Returns the answer, or throws the last failure.
 *
 * @example
 * ```js
 * await waitForHealth("https://gateway-staging.example.workers.dev"); // { service: "gateway", version: "1.0.0", ... }
 * ```
 * @param {string} url
 * @param {{ tries?: number, delayMs?: number }} [options]
 * @returns {Promise<Record<string, unknown>>}
 */
export async function waitForHealth(url, { tries = 10, delayMs = 3000 } = {}) {
  let failure = "";
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
      const body = response.ok ? await response.json() : undefined;
      if (body?.service === "gateway") return body;
      failure = `answered ${response.status}${body ? ` ${JSON.stringify(body)}` : ""}`;
    } catch (err) {
      failure = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    }
    console.log(`  GET ${url}/health: ${failure}${attempt < tries ? `; again in ${delayMs / 1000} s` : ""}`);
    if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error(failure);
}
