import { defineProject } from "vitest/config";

/**
 * `npm run deploy` (scripts/deploy.mjs) driven from Node against a stand-in wrangler
 * (fake-wrangler/, first on PATH) and a temporary copy of the configs: nothing contacts
 * Cloudflare and the committed configs are never written. Also the deploy's parsers and checks.
 */
export default defineProject({
  test: {
    name: "deploy",
    environment: "node",
    include: ["test/deploy/**/*.test.ts"],
    // Each deploy run starts node and the stand-in a dozen times.
    testTimeout: 60_000,
  },
});
