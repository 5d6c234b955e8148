import { ApiError } from "#shared/http/api-error.ts";

/** Where a page ended: the sort key of its last item. Clients only see it encoded. */
export interface PagePosition {
  createdAt: string;
  id: string;
}

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

const fromBase64Url = (encoded: string) =>
  new TextDecoder().decode(
    Uint8Array.from(atob(encoded.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0)),
  );

/** An opaque cursor for the page after `position`. */
export const encodeCursor = (position: PagePosition): string =>
  toBase64Url(JSON.stringify([position.createdAt, position.id]));

/** Reads a cursor made by {@link encodeCursor}; anything else is a 400. */
export function decodeCursor(cursor: string): PagePosition {
  try {
    const decoded: unknown = JSON.parse(fromBase64Url(cursor));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded.every((part) => typeof part === "string")) {
      return { createdAt: decoded[0] as string, id: decoded[1] as string };
    }
  } catch {
    // Falls through to the 400 below: a cursor that does not decode is the client's error.
  }
  throw new ApiError(400, "invalid_request", "cursor: not a cursor returned by this API", {
    details: [{ path: "cursor", message: "not a cursor returned by this API" }],
  });
}

/**
 * One page out of `found`, which a query read with a LIMIT of one more than `limit`: that extra
 * item tells whether another page exists without a COUNT. `next` is where the next page starts.
 *
 * @example
 * ```ts
 * const rows = await listRows(limit + 1);
 * const { items, next } = pageOf(rows, limit); // next: null on the last page
 * ```
 */
export function pageOf<T extends PagePosition>(found: T[], limit: number): { items: T[]; next: PagePosition | null } {
  const items = found.slice(0, limit);
  const last = items.at(-1);
  const next = found.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { items, next };
}
