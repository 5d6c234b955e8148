import { expect, vi } from "vitest";
import { parseLiveFrame, PONG, type LiveReply } from "../../workers/reply-feed/src/live-frame.ts";
import type { FetchTarget } from "./http.ts";
import { WEBSOCKET_HANDSHAKE } from "./websocket-handshake.ts";

/** How a socket's close looked from the client. */
export interface LiveClose {
  code: number;
  reason: string;
}

/** A connected `GET /replies/live` WebSocket and what it has received so far. */
export interface LiveFeed {
  /** The first frame's replies: the feed when the socket was accepted, oldest first. */
  snapshot: LiveReply[];
  /** Every reply pushed after the snapshot, in arrival order. */
  received: LiveReply[];
  /** Every message as it arrived, frames and "pong" alike. */
  messages: string[];
  /** Resolves once the socket has closed, with the server's Close (its own, or its answer to ours). */
  closed: Promise<LiveClose>;
  send(message: string | ArrayBuffer): void;
  /** Closes the socket, then fails the test if any message broke the protocol. */
  close(code?: number, reason?: string): void;
}

/** The first frame is sent as the socket is accepted: it has no reason to take long. */
const SNAPSHOT_TIMEOUT_MS = 5_000;

/**
 * Opens the live reply WebSocket on `target` (the reply feed or the gateway) and waits for its
 * snapshot frame, then collects the pushes. A message out of protocol (a first frame that is no
 * snapshot, a second snapshot, a malformed or unknown frame) fails the test: at once if it came
 * first, otherwise when the socket is closed.
 *
 * @example
 * ```ts
 * const live = await openLive(workerUnderTest());
 * try { await vi.waitFor(() => expect(live.received).toHaveLength(1)); } finally { live.close(); }
 * ```
 */
export async function openLive(target: FetchTarget): Promise<LiveFeed & { response: Response }> {
  const response = await target.fetch("http://service.test/replies/live", { headers: WEBSOCKET_HANDSHAKE });
  expect(response.status).toBe(101);
  const ws = response.webSocket!;
  const messages: string[] = [];
  const received: LiveReply[] = [];
  const problems: string[] = [];
  let snapshot: LiveReply[] | undefined;
  ws.addEventListener("message", ({ data }) => {
    const text = String(data);
    messages.push(text);
    if (text === PONG) return;
    try {
      const frame = parseLiveFrame(text);
      if (frame?.type === "snapshot" && snapshot === undefined) snapshot = frame.replies;
      else if (frame?.type === "reply" && snapshot !== undefined) received.push(frame.reply);
      else problems.push(`message ${messages.length} out of protocol: ${text}`);
    } catch (err) {
      problems.push(`message ${messages.length} malformed (${String(err)}): ${text}`);
    }
  });
  const closed = new Promise<LiveClose>((resolve) => ws.addEventListener("close", ({ code, reason }) => resolve({ code, reason })));
  ws.accept();
  await vi.waitFor(() => expect(snapshot !== undefined || problems.length > 0).toBe(true), { timeout: SNAPSHOT_TIMEOUT_MS, interval: 5 });
  expect(problems).toEqual([]);
  return {
    response,
    snapshot: snapshot!,
    received,
    messages,
    closed,
    send: (message) => ws.send(message),
    close: (code = 1000, reason = "test done") => {
      ws.close(code, reason);
      expect(problems).toEqual([]);
    },
  };
}
