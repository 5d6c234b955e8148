import { BODILESS_METHODS } from "../../headers.ts";
import { ApiError } from "../api-error.ts";

/**
 * The 413 of a body over `maxBytes`, in the error envelope.
 *
 * @example
 * ```ts
 * throw payloadTooLarge(64 * 1024);
 * ```
 */
export const payloadTooLarge = (maxBytes: number): ApiError =>
  new ApiError(413, "payload_too_large", `request body is larger than ${maxBytes} bytes`);

/**
 * Reads a request's body once, refusing it (a 413) past `maxBytes`: at once when its
 * Content-Length says so, else as soon as the stream has sent more (a chunked body, which HTTP/2
 * clients may send without a length, is cut off there, not read to its end). A GET or HEAD body
 * means nothing in HTTP and is not read: null, as for no body. What a proxy needs that sends the
 * same bytes on, perhaps more than once: Hono's `bodyLimit` reads a body without a length into a
 * buffer and then builds the whole request again around it, for a handler to read a second time.
 *
 * @example
 * ```ts
 * const body = await readBodyWithin(c.req.raw, 64 * 1024); // the bytes, or null
 * ```
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (request.body === null || BODILESS_METHODS.has(request.method)) return null;
  const declared = request.headers.get("content-length");
  if (declared !== null && !request.headers.has("transfer-encoding") && Number(declared) > maxBytes) throw payloadTooLarge(maxBytes);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  // One chunk (the usual small JSON body) is the bytes already; only several are joined.
  if (chunks.length === 1) return chunks[0] ?? null;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
