import { createMiddleware } from "hono/factory";
import { ApiError } from "#shared/http/api-error.ts";
import { logEvent } from "#shared/http/log.ts";

/** `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110 §11.1). */
const BEARER = /^bearer +([\x21-\x7e]+) *$/i;

const encoder = new TextEncoder();
const sha256 = (text: string) => crypto.subtle.digest("SHA-256", encoder.encode(text));

/**
 * Whether `presented` is `expected`, in time that does not depend on where they differ or on the
 * length of either: both are hashed first (equal-length digests), then compared with the
 * runtime's constant-time comparison.
 */
async function sameToken(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

const unauthorized = (message: string) =>
  new ApiError(401, "unauthorized", message, { headers: { "www-authenticate": 'Bearer realm="subscriptions"' } });

/**
 * Lets a request through only with `Authorization: Bearer <SUBSCRIPTIONS_TOKEN>`. It guards the
 * gateway's management routes, which one token opens: the webhook subscription routes (they hand
 * out signing secrets and choose where replies are sent) and the search rebuild (it makes the
 * search service re-read the whole change log). `task` names what is guarded in the messages.
 * Missing, malformed or wrong: a 401 in the error envelope with `WWW-Authenticate: Bearer`. An
 * unset or empty token refuses every request (never open), and logs why. The header itself goes
 * no further: it is not among the headers a service receives (forward-headers.ts).
 *
 * @example
 * ```ts
 * app.post("/subscriptions", requireSubscriptionsToken("subscription management"), toTickets);
 * app.post("/search/rebuild", requireSubscriptionsToken("rebuilding the search index"), toSearch);
 * ```
 */
export const requireSubscriptionsToken = (task: string) =>
  createMiddleware<{ Bindings: Pick<Env, "SUBSCRIPTIONS_TOKEN"> }>(async (c, next) => {
    const expected = c.env.SUBSCRIPTIONS_TOKEN;
    if (!expected) {
      logEvent("error", "gateway.subscriptions_token_unset", { path: c.req.path, fix: "wrangler secret put SUBSCRIPTIONS_TOKEN" });
      throw unauthorized(`${task} is disabled: the gateway has no SUBSCRIPTIONS_TOKEN`);
    }
    const presented = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
    if (presented === undefined) throw unauthorized(`send Authorization: Bearer <token> for ${task}`);
    if (!(await sameToken(presented, expected))) throw unauthorized("the bearer token is not valid");
    await next();
  });
