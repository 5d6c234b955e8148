import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import type { FetchTarget } from "./http.ts";

/** Anything with a Workers-style `fetch(request, env, ctx)`: a Hono app, an ExportedHandler. */
interface WorkerApp<E> {
  fetch(request: Request, env: E, ctx: ExecutionContext): Response | Promise<Response>;
}

/**
 * A Worker app called in-process with an env of the test's choosing (e.g. a binding swapped
 * for a failing one), waiting for its `waitUntil` work before answering.
 *
 * @example
 * ```ts
 * const target = appTarget(createTicketsApp({ random: () => 0 }), { ...env, FAILURE_RATE: "1" });
 * ```
 */
export function appTarget<E>(app: WorkerApp<E>, env: E): FetchTarget {
  return {
    async fetch(input, init) {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(input, init), env, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
  };
}
