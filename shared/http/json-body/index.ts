import type { Context, Env as HonoEnv, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { ApiError } from "../api-error.ts";
import { readingClientBody } from "../client-closed.ts";
import { validate } from "../validate.ts";
import { boundedBody } from "./bounded-body.ts";

/** The request body limit of every Worker's API: 64 KiB, room for the largest valid ticket or reply. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Rejects bodies larger than `maxBytes` with a 413 envelope, for a Worker whose handlers read the
 * body themselves: the body is read within the limit ({@link boundedBody} says how) and the
 * request rebuilt around the bytes for the handlers to read. The body of a GET or HEAD is ignored,
 * never read nor limited (a GET Request with a body cannot be built: that was a 500 for
 * `GET /health` sent chunked).
 *
 * @example
 * ```ts
 * app.use("*", limitBody(32 * 1024));
 * ```
 */
export const limitBody = (maxBytes: number): MiddlewareHandler => async (c, next) => {
  const body = await boundedBody(c.req.raw, maxBytes);
  if (body !== null) c.req.raw = new Request(c.req.raw, { body });
  return next();
};

/**
 * Reads a JSON body and validates it against `schema`, throwing a 4xx {@link ApiError}
 * for a wrong content type, malformed JSON or invalid fields.
 *
 * @example
 * ```ts
 * const input = await readJson(c, z.object({ user: z.string() }));
 * ```
 */
export async function readJson<S extends z.ZodType, E extends HonoEnv>(c: Context<E>, schema: S): Promise<z.output<S>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ApiError(415, "unsupported_media_type", "content-type must be application/json");
  }
  // Read before parsing: a read that fails is the client gone, a parse that fails its mistake.
  const text = await readingClientBody(() => c.req.text());
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) throw new ApiError(400, "invalid_request", "body is not valid JSON");
    throw err;
  }
  return validate(schema, raw);
}
