import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** Every Worker and test project uses the same runtime date, so behaviour matches `wrangler dev`. */
const COMPATIBILITY_DATE = "2026-04-20";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ miniflare: { compatibilityDate: COMPATIBILITY_DATE } })],
        test: { name: "dispatch", include: ["test/dispatch/**/*.test.ts"] },
      },
    ],
  },
});
