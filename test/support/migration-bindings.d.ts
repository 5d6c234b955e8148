// Test-only bindings every integration test project gives its Worker under test (see
// test/support/node/projects.ts), read by test/support/apply-migrations.ts.
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** The tickets database's migrations. */
      TEST_MIGRATIONS: D1Migration[];
      /** The demo seed's statements, run after the migrations. */
      TEST_SEED: string[];
    }
  }
}
