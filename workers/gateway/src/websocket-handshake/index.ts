import { createMiddleware } from "hono/factory";
import { ApiError } from "#shared/http/api-error.ts";

/** RFC 6455 §4.1: the one protocol version there is, and the one the runtime completes. */
const WEBSOCKET_VERSION = "13";

/** A `Sec-WebSocket-Key` is 16 random bytes in base64: 21 characters, one that ends the 16th byte, "==". */
const WEBSOCKET_KEY = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

const upgradeRequired = (message: string) =>
  new ApiError(426, "invalid_request", message, {
    headers: { upgrade: "websocket", "sec-websocket-version": WEBSOCKET_VERSION },
  });

/** True when `header` (a comma-separated list of protocols) names websocket. */
const namesWebSocket = (header: string | undefined): boolean =>
  header !== undefined && header.split(",").some((protocol) => protocol.trim().toLowerCase() === "websocket");

/**
 * Checks a WebSocket opening handshake before it is passed on: the runtime completes the 101 with
 * the client's own headers, and answers a handshake it cannot complete with a text/plain 400,
 * after the feed has accepted a socket that can never open. So: no `Upgrade: websocket` → 426;
 * a `Sec-WebSocket-Version` other than 13 → 426 naming 13 (RFC 6455 §4.4); no valid
 * `Sec-WebSocket-Key` → 400; each in the JSON envelope.
 *
 * @example
 * ```ts
 * app.get("/replies/live", checkWebSocketHandshake(), (c) => forward(c, dispatcher, "reply-feed"));
 * ```
 */
export const checkWebSocketHandshake = () =>
  createMiddleware(async (c, next) => {
    if (!namesWebSocket(c.req.header("upgrade"))) {
      throw upgradeRequired(`${c.req.path} is a WebSocket: send Upgrade: websocket`);
    }
    if (c.req.header("sec-websocket-version") !== WEBSOCKET_VERSION) {
      throw upgradeRequired(`Sec-WebSocket-Version: only ${WEBSOCKET_VERSION} is spoken`);
    }
    if (!WEBSOCKET_KEY.test(c.req.header("sec-websocket-key") ?? "")) {
      throw new ApiError(400, "invalid_request", "Sec-WebSocket-Key: must be 16 bytes in base64", {
        details: [{ path: "Sec-WebSocket-Key", message: "must be 16 bytes in base64" }],
      });
    }
    await next();
  });
