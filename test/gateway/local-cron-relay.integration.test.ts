import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { relayLocalCron } from "../../workers/gateway/src/local-cron-relay.ts";

type ScheduleOptions = { cron: string; scheduledTime: Date };

/** tickets 1.0.0, recording each scheduled event it is sent before running its real handler. */
function recordingTickets() {
  const crons: string[] = [];
  const real = env.TICKETS_V1_0_0 as unknown as { scheduled(options: ScheduleOptions): Promise<unknown> };
  const binding = {
    fetch: (request: Request) => env.TICKETS_V1_0_0.fetch(request),
    scheduled: (options: ScheduleOptions) => {
      crons.push(options.cron);
      return real.scheduled(options);
    },
  } as unknown as Fetcher;
  return { binding, crons };
}

const controller = (cron: string): ScheduledController => ({ cron, scheduledTime: Date.now(), noRetry: () => {} });

describe("the gateway's local cron relay (npm start only)", () => {
  it("runs the named service's scheduled handler with the cron expression", async () => {
    const { binding, crons } = recordingTickets();
    await relayLocalCron(controller("TICKETS_V1_0_0 * * * * *"), { ...env, TICKETS_V1_0_0: binding, LOCAL_CRON_RELAY: "true" });
    expect(crons).toEqual(["* * * * *"]);
  });

  it("does nothing unless LOCAL_CRON_RELAY is \"true\" (deployed it is empty: services run their own crons)", async () => {
    const { binding, crons } = recordingTickets();
    await relayLocalCron(controller("TICKETS_V1_0_0 * * * * *"), { ...env, TICKETS_V1_0_0: binding, LOCAL_CRON_RELAY: "" });
    expect(crons).toEqual([]);
  });

  it("refuses a cron that names no service it binds", async () => {
    const relayed = { ...env, LOCAL_CRON_RELAY: "true" };
    await expect(relayLocalCron(controller("* * * * *"), relayed)).rejects.toThrow(/cannot relay "\* \* \* \* \*"/);
    await expect(relayLocalCron(controller("DB * * * * *"), relayed)).rejects.toThrow(/expected "<TICKETS_V1_0_0\|TICKETS_V1_0_1\|REPLY_FEED_V1_0_0> <cron expression>"/);
  });
});
