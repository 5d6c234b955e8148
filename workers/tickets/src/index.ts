import { createTicketsApp } from "./app.ts";
import { housekeeping } from "./housekeeping.ts";

const app = createTicketsApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env) {
    await housekeeping(env);
  },
} satisfies ExportedHandler<Env>;
