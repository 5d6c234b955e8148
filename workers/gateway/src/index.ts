import { createGatewayApp } from "./app.ts";
import { relayLocalCron } from "./local-cron-relay.ts";

const app = createGatewayApp();

export default {
  fetch: app.fetch,
  // Only under `npm start`: relays each service's cron triggers, which wrangler dev does not fire.
  scheduled: (controller, env) => relayLocalCron(controller, env),
} satisfies ExportedHandler<Env>;
