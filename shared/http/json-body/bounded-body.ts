import { BODILESS_METHODS } from "../../headers.ts";
import { ApiError } from "../api-error.ts";
import { readingClientBody } from "../client-closed.ts";

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
 * A 415 for a body sent compressed (`Content-Encoding` other than identity): no Worker of ours
 * decodes one, and read as it is, its bytes would be refused as "not valid JSON", which says
 * nothing of what is wrong.
 */
const compressedBody = (encoding: string): ApiError =>
  new ApiError(415, "unsupported_media_type", `Content-Encoding ${encoding.slice(0, 32)} is not supported: send the body uncompressed`);

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

/**
 * Reads `body` to its end into one buffer, refusing it (a 413) as soon as it has sent more than
 * `maxBytes`. A read that fails is the client gone mid-body (`ClientClosedRequestError`).
 */
async function readWithin(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await readingClientBody(() => reader.read());
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
 * A request's body, read once and held to `maxBytes` (a 413 past it), or null when it has none. A
 * body sent compressed (a 415) or whose Content-Length is over the limit is refused unread; any other is read, and refused
 * as soon as it has sent more, never read to its end (HTTP's framing holds one with a
 * Content-Length to it; one without, chunked or HTTP/2, is counted). Read here, not later by
 * whoever sends it on: a client that goes away part-way fails the read here, where it is known to
 * be the client's doing (`ClientClosedRequestError`, a 499 logged at info), not an internal error.
 * A GET or HEAD body means nothing in HTTP and is not read: null, as for no body. The bytes are a
 * body a new `Request` can carry.
 *
 * @example
 * ```ts
 * const body = await boundedBody(c.req.raw, 64 * 1024); // the bytes, or null
 * const outgoing = new Request(serviceUrl, { method: c.req.method, headers, body });
 * ```
 */
export async function boundedBody(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (request.body === null || BODILESS_METHODS.has(request.method)) return null;
  const encoding = request.headers.get("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity") throw compressedBody(encoding);
  const length = declaredLength(request);
  if (length !== null && length > maxBytes) throw payloadTooLarge(maxBytes);
  return readWithin(request.body, maxBytes);
}
