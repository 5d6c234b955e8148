import type { Context, Env as HonoEnv, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { BODILESS_METHODS } from "../../headers.ts";
import { ApiError } from "../api-error.ts";
import { validate } from "../validate.ts";
import { payloadTooLarge } from "./read-body-within.ts";

/** The request body limit of every Worker's API: 64 KiB, room for the largest valid ticket or reply. */
export const BODY_LIMIT_BYTES = 64 * 1024;


/**
 * Rejects bodies larger than `maxBytes` with a 413 envelope, also when no
 * Content-Length is sent (the stream is cut off while it is read), for a Worker whose handlers
 * read the body themselves (a proxy that only sends it on: ./read-body-within.ts). The body of a GET or HEAD is
 * ignored, never read nor limited: Hono's limit rebuilds the request around the body it read,
 * and a GET Request with a body cannot be built (that was a 500 for `GET /health` sent chunked).
 *
 * @example
 * ```ts
 * app.use("*", limitBody(32 * 1024));
 * ```
 */
export const limitBody = (maxBytes: number): MiddlewareHandler => {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw payloadTooLarge(maxBytes);
    },
  });
  return (c, next) => (BODILESS_METHODS.has(c.req.method) ? next() : limit(c, next));
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
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch (err) {
    if (err instanceof SyntaxError) throw new ApiError(400, "invalid_request", "body is not valid JSON");
    throw err;
  }
  return validate(schema, raw);
}
