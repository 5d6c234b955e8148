import { defineConfig } from "vitest/config";
import dev from "./test/dev/project.ts";
import dispatch from "./test/dispatch/project.ts";
import gateway from "./test/gateway/project.ts";
import replyFeed from "./test/reply-feed/project.ts";
import tickets from "./test/tickets/project.ts";

// One project per test area; each runs inside workerd with the Workers it needs (see its project.ts),
// but for `dev`, which drives `npm start` itself from Node.
export default defineConfig({
  test: {
    projects: [dispatch, tickets, gateway, replyFeed, dev],
    // Workers log one JSON line per event; show them only for tests that fail.
    silent: "passed-only",
  },
});
