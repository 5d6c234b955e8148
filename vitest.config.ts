import { defineConfig } from "vitest/config";
import deploy from "./test/deploy/project.ts";
import dev from "./test/dev/project.ts";
import dispatch from "./test/dispatch/project.ts";
import gateway from "./test/gateway/project.ts";
import replyFeed from "./test/reply-feed/project.ts";
import search from "./test/search/project.ts";
import tickets from "./test/tickets/project.ts";
import webhooks from "./test/webhooks/project.ts";

// One project per test area; each runs inside workerd with the Workers it needs (see its project.ts),
// but for `dev`, which drives `npm start` itself from Node, and `deploy`, which drives `npm run deploy`
// against a stand-in wrangler.
export default defineConfig({
  test: {
    projects: [dispatch, tickets, gateway, replyFeed, webhooks, search, dev, deploy],
    // Workers log one JSON line per event; show them only for tests that fail.
    silent: "passed-only",
  },
});
