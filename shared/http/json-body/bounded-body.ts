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
 * The body length a request declares and HTTP's framing holds it to: its Content-Length (digits
 * only), unless it also says Transfer-Encoding (then the length means nothing); null when it
 * declares none.
 */
function declaredLength(request: Request): number | null {
  const declared = request.headers.get("content-length");
  if (declared === null || request.headers.has("transfer-encoding") || !/^\d{1,15}$/.test(declared)) return null;
  return Number(declared);
}

/** Reads `body` to its end into one buffer, refusing it (a 413) as soon as it has sent more than `maxBytes`. */
async function readWithin(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Cut off here, not read to its end.
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  // One chunk (the usual small JSON body) is the bytes already; only several are joined.
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A request's body, held to `maxBytes` (a 413 past it) at the least cost: a body whose
 * Content-Length is within the limit is its stream, unread (HTTP's framing holds it to that
 * length); one whose Content-Length is over is refused unread; one without a length (chunked, or
 * HTTP/2 without one) is read, and refused as soon as it has sent more, never read to its end, or
 * else is the bytes it sent. A GET or HEAD body means nothing in HTTP and is not read: null, as
 * for no body. Whatever it returns is a body a new `Request` can carry.
 *
 * @example
 * ```ts
 * const body = await boundedBody(c.req.raw, 64 * 1024); // the stream, the bytes, or null
 * const outgoing = new Request(serviceUrl, { method: c.req.method, headers, body });
 * ```
 */
export async function boundedBody(request: Request, maxBytes: number): Promise<ReadableStream<Uint8Array> | Uint8Array | null> {
  if (request.body === null || BODILESS_METHODS.has(request.method)) return null;
  const length = declaredLength(request);
  if (length === null) return readWithin(request.body, maxBytes);
  if (length > maxBytes) throw payloadTooLarge(maxBytes);
  return request.body;
}
