import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { COMPATIBILITY_DATE } from "../support/node/projects.ts";

/** Unit tests of shared/dispatch: no Worker under test, fake services and a fake clock. */
export default defineProject({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: COMPATIBILITY_DATE } })],
  test: { name: "dispatch", include: ["test/dispatch/**/*.test.ts"] },
});
