import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BreakerRegistry } from "#shared/dispatch/index.ts";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson } from "../support/http.ts";

/** An Analytics Engine dataset that keeps what is written, to read back what the gateway records. */
function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  const dataset: AnalyticsEngineDataset = { writeDataPoint: (point) => void points.push(point ?? {}) };
  return { dataset, points };
}

function gatewayRecordingTo(dataset: AnalyticsEngineDataset, bindings: Partial<typeof env> = {}) {
  const breakers = new BreakerRegistry({ failureThreshold: 1, cooldownMs: 60_000 });
  return appTarget(createGatewayApp({ breakers }), { ...env, ...bindings, DISPATCH_ANALYTICS: dataset });
}

describe("one Analytics Engine data point per dispatch attempt", () => {
  it("records a success with its service, version, outcome, range, duration and status", async () => {
    const { dataset, points } = recordingDataset();
    await getJson(gatewayRecordingTo(dataset), "/tickets", { "accept-version": "~1.0.1" });
    expect(points).toEqual([
      {
        indexes: ["tickets@1.0.1"],
        blobs: ["tickets", "1.0.1", "success", "~1.0.1", ""],
        doubles: [expect.any(Number), 200],
      },
    ]);
  });

  it("records a failure, the fallback that served, then a breaker skip: the fallback rate across isolates", async () => {
    const { dataset, points } = recordingDataset();
    const gateway = gatewayRecordingTo(dataset, { TICKETS_V1_0_1: env.TICKETS_V1_0_1_FAILING });
    await getJson(gateway, "/tickets");
    await getJson(gateway, "/tickets");
    expect(points.map((point) => point.blobs)).toEqual([
      ["tickets", "1.0.1", "failed", "^1.0.0", "HTTP 503"],
      ["tickets", "1.0.0", "success", "^1.0.0", ""],
      ["tickets", "1.0.1", "skipped", "^1.0.0", "circuit open"],
      ["tickets", "1.0.0", "success", "^1.0.0", ""],
    ]);
    expect(points[0]?.doubles).toEqual([expect.any(Number), 503]);
    expect(points[2]?.doubles).toEqual([0, 0]);
  });

  it("a gateway without the dataset bound still serves", async () => {
    const { DISPATCH_ANALYTICS: _unbound, ...unbound } = env;
    const { res } = await getJson(appTarget(createGatewayApp(), unbound), "/tickets");
    expect(res.status).toBe(200);
  });
});
