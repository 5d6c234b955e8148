import { createGatewayApp } from "./app.ts";
import type { GatewayEnv } from "./env.ts";

const app = createGatewayApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<GatewayEnv>;
