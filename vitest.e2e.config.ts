import { defineConfig } from "vitest/config";

// `npm run test:e2e`: the page in a real Chromium (test/e2e), apart from `npm test`, which stays
// browser-free. Each file starts its own system under wrangler dev (a few seconds), and the files
// run one after another: two systems and two browsers at once overload a small CI machine.
export default defineConfig({
  test: {
    name: "e2e",
    environment: "node",
    include: ["test/e2e/**/*.e2e.test.ts"],
    fileParallelism: false,
    hookTimeout: 180_000,
    testTimeout: 60_000,
  },
});
