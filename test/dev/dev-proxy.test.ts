import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevSystem, startDevSystem } from "../../scripts/lib/dev-system.mjs";

let system: DevSystem;
beforeAll(async () => {
  system = await startDevSystem("test-dev-proxy");
});
afterAll(() => system?.stop());

/**
 * Sends a GET that declares a 70,000-byte body, then goes away without sending it: what a
 * client that gives up half-way looks like to the dev server.
 */
function abandonGetWithDeclaredBody(base: string): Promise<void> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET /health HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: 70000\r\n\r\n`);
      // Long enough for the server to have taken the request in, then gone.
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    socket.on("error", reject);
  });
}

describe("npm start", () => {
  it("serves the gateway on its port", async () => {
    const res = await fetch(`${system.base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ service: "gateway" });
  });

  // wrangler 4.86's dev proxy replayed the abandoned request into the next one, which failed with a
  // text/plain 500 ("Cannot reconstruct a Request with a used body") naming local paths.
  it("answers the next request normally after a client abandons a GET with a declared body", async () => {
    for (let round = 0; round < 5; round++) {
      await abandonGetWithDeclaredBody(system.base);
      const res = await fetch(`${system.base}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
    }
  });
});
