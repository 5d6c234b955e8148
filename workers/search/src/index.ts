import { createSearchApp } from "./app.ts";

export { SearchPump } from "./pump-object.ts";

const app = createSearchApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
