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
 * The body length a request declares and HTTP's framing holds it to: its Content-Length, unless
 * it also says Transfer-Encoding (then the length means nothing); null when it declares none.
 *
 * @example
 * ```ts
 * declaredLength(request); // 27, or null for a chunked body
 * ```
 */
export function declaredLength(request: Request): number | null {
  const declared = request.headers.get("content-length");
  if (declared === null || request.headers.has("transfer-encoding")) return null;
  const length = Number(declared);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

/**
 * Reads a request's body once, refusing it (a 413) past `maxBytes`: at once when its
 * Content-Length says so, else as soon as the stream has sent more (a chunked body, which HTTP/2
 * clients may send without a length, is cut off there, not read to its end). A GET or HEAD body
 * means nothing in HTTP and is not read: null, as for no body. What a proxy needs, which sends the
 * same bytes on, perhaps more than once; an app whose handlers read the body themselves limits it
 * with `limitBody` (./index.ts), built on this.
 *
 * @example
 * ```ts
 * const body = await readBodyWithin(c.req.raw, 64 * 1024); // the bytes, or null
 * ```
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (request.body === null || BODILESS_METHODS.has(request.method)) return null;
  if ((declaredLength(request) ?? 0) > maxBytes) throw payloadTooLarge(maxBytes);
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
