/** The key of RFC 6455's example handshake: 16 bytes in base64. */
export const WEBSOCKET_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/**
 * A complete WebSocket opening handshake, as a browser sends it: what the gateway checks before
 * a request reaches the feed.
 *
 * @example
 * ```ts
 * await gateway.fetch("http://gateway.test/replies/live", { headers: WEBSOCKET_HANDSHAKE }); // 101
 * ```
 */
export const WEBSOCKET_HANDSHAKE = { upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": WEBSOCKET_KEY };
