import type { AttemptLogLine, Caller } from "#shared/dispatch/index.ts";

/** What a fake service saw of one call. */
export interface Received {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  signal: AbortSignal;
}

/** A fake service binding that records every call and answers as told. */
export interface FakeService extends Caller {
  readonly received: Received[];
  readonly calls: number;
}

/** How a fake answers one call. */
export type Answer = (request: Request) => Response | Promise<Response>;

/** A fake answering every call with `answer`. */
export function fakeService(answer: Answer): FakeService {
  const received: Received[] = [];
  return {
    received,
    get calls() {
      return received.length;
    },
    async fetch(request) {
      const { method, url, headers, signal } = request;
      received.push({ method, url, headers, signal, body: await request.clone().text() });
      return answer(request);
    },
  };
}

/** Answers with `status` and a small JSON body naming it. */
export const answering = (status: number) => (): Response => Response.json({ status }, { status });

/** Throws like a failed network call. */
export const throwing = (message = "network connection lost"): Answer => () => {
  throw new Error(message);
};

/** Never answers; rejects once the request's signal aborts, as a real binding does. */
export const hangingUntilAborted: Answer = (request) =>
  new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));

/** Never answers and ignores its signal: only the dispatcher's race can end the wait. */
export const hangingForever: Answer = () => new Promise(() => undefined);

/** A clock that moves only when told. */
export function fakeClock(start = 1_000_000) {
  let time = start;
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

/** A logger that keeps its lines. */
export function collectingLogger() {
  const lines: AttemptLogLine[] = [];
  return { lines, log: (line: AttemptLogLine) => void lines.push(line) };
}

/** A GET request with a request id. */
export const getRequest = (path = "/tickets", requestId = "req-1") =>
  new Request(`https://gateway.test${path}`, { headers: { "x-request-id": requestId } });

/** A promise and the functions that settle it, to hold a fake service mid-call. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
