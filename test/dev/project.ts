import { defineProject } from "vitest/config";

/**
 * Black-box tests of `npm start` itself: the whole system under `wrangler dev` (started by
 * scripts/start.mjs on a free port and its own state folder), driven over HTTP from Node.
 */
export default defineProject({
  test: {
    name: "dev",
    environment: "node",
    include: ["test/dev/**/*.test.ts"],
    // Starting wrangler dev takes a few seconds; each file starts its own system.
    hookTimeout: 120_000,
    testTimeout: 180_000,
  },
});
