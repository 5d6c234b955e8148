// The gateway under test for its search wiring: its search binding a stand-in of the test's
// (or the real one), writes from client addresses of their own, and what reached a binding.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createGatewayApp, type GatewayAppOptions } from "../../workers/gateway/src/app.ts";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import type { FetchTarget } from "../support/http.ts";
import { call } from "../tickets/subscription-client.ts";

export const AD_ON_IOS = "55e633dcfa7864d21a226053";
export const bearer = (token = env.SUBSCRIPTIONS_TOKEN) => ({ authorization: `Bearer ${token}` });

/** What a request reached a binding as: method, path and query. */
export const described = (requests: Request[]) => requests.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`);

/**
 * A client address no other request of the test run has used: these files send more writes than
 * one address's budget (test/gateway/rate-limit covers the limit).
 */
let clients = 0;
export const clientAddress = () => ({ "cf-connecting-ip": `2001:db8:5e:${(++clients).toString(16)}::1` });

/** `call` from a client address of its own. */
export const send = <T = unknown>(target: FetchTarget, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call<T>(target, method, path, body, { ...clientAddress(), ...headers });

/** A gateway whose search binding is `search` (a stand-in that records), the rest as configured. */
export const gatewayWith = (search: Fetcher, overrides: Partial<Env> = {}, options: GatewayAppOptions = {}) =>
  appTarget(createGatewayApp(options), { ...env, SEARCH_V1_0_0: search, ...overrides });

/** Posts a reply to AD_ON_IOS through `target`; fails the test unless it is stored. */
export async function postReply(target: FetchTarget, message: string): Promise<Reply> {
  const { res, body } = await send<Reply>(target, "POST", `/tickets/${AD_ON_IOS}/replies`, { user: "Kim", message });
  expect(res.status).toBe(201);
  return body;
}
