/** RFC 6455's "policy violation": the client sent something other than "ping". */
export const POLICY_VIOLATION = 1008;
/** The reason sent with {@link POLICY_VIOLATION}. */
export const POLICY_VIOLATION_REASON = 'only "ping" may be sent';

/**
 * Codes RFC 6455 forbids in a Close frame (1004 reserved; 1005, 1006 and 1015 only ever reported
 * locally), which `WebSocket.close()` refuses: a client that sent one is answered without a code.
 */
const UNSENDABLE_CODES = new Set([1004, 1005, 1006, 1015]);

/**
 * Answers a client's Close frame with one of ours, echoing its code, which completes the close
 * handshake. A hibernatable socket needs this: the runtime's automatic reply
 * (`web_socket_auto_reply_to_close`, on since compatibility date 2026-04-07) covers sockets
 * accepted with `ws.accept()`, not those accepted with `ctx.acceptWebSocket()`, whose Close goes
 * to `webSocketClose` unanswered (workerd 1.20261102.1: test/reply-feed/live.integration.test.ts
 * waits in vain without this). Should a runtime answer first, `close()` does nothing.
 *
 * @example
 * ```ts
 * override webSocketClose(ws: WebSocket, code: number, reason: string): void {
 *   answerClose(ws, code, reason);
 * }
 * ```
 */
export function answerClose(ws: WebSocket, code: number, reason: string): void {
  try {
    if (code >= 1000 && code < 5000 && !UNSENDABLE_CODES.has(code)) ws.close(code, reason);
    else ws.close();
  } catch {
    // The connection is already gone (a disconnect is reported as 1006): nothing to answer.
  }
}

/**
 * Closes a socket whose client sent something other than "ping", with 1008 and a short reason.
 *
 * @example
 * ```ts
 * override webSocketMessage(ws: WebSocket): void {
 *   closeForPolicyViolation(ws);
 * }
 * ```
 */
export function closeForPolicyViolation(ws: WebSocket): void {
  try {
    ws.close(POLICY_VIOLATION, POLICY_VIOLATION_REASON);
  } catch {
    // Closing already: the client is on its way out anyway.
  }
}
