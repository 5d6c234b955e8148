/**
 * A service binding that keeps every request it is sent, then answers with `answer` (e.g. the
 * real binding's answer), to see what the gateway sends a service.
 *
 * @example
 * ```ts
 * const tickets = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
 * const gateway = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding });
 * tickets.requests[0]?.headers.get("x-request-id");
 * ```
 */
export function recordingBinding(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const binding = {
    fetch: async (request: Request) => {
      requests.push(request);
      return answer(request);
    },
  } as unknown as Fetcher;
  return { binding, requests };
}
