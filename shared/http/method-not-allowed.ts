import type { Env, Hono } from "hono";
import { ApiError } from "./api-error.ts";

/**
 * Answers a known path called with a method it does not take with a 405 and an `Allow` header,
 * instead of a 404 that would suggest the path is wrong. The known paths and their methods are
 * the app's own routes, so they are listed once: call it after the routes (it only sees
 * requests they did not answer). A literal path routed before a pattern that also matches it
 * (`/tickets/addComment` before `/tickets/:id`) keeps that precedence here.
 *
 * @example
 * ```ts
 * app.get("/tickets", list);
 * app.post("/tickets", create);
 * allowRoutedMethods(app); // PUT /tickets → 405, Allow: GET, HEAD, POST
 * ```
 */
export function allowRoutedMethods<E extends Env>(app: Hono<E>): void {
  const methodsByPath = new Map<string, Set<string>>();
  for (const { path, method } of app.routes) {
    // Middleware (`app.use`) is routed as ALL: it answers no method of its own.
    if (method === "ALL") continue;
    const methods = methodsByPath.get(path) ?? new Set<string>();
    methods.add(method);
    // Hono answers HEAD with the GET route.
    if (method === "GET") methods.add("HEAD");
    methodsByPath.set(path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].sort().join(", ");
    app.all(path, (c) => {
      throw new ApiError(405, "method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`, {
        headers: { allow },
      });
    });
  }
}
