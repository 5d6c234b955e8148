// npm run cf-typegen: regenerates each Worker's Env types from its wrangler config. Run it after
// changing a binding or a var; `npm run check` fails while a generated file is stale.
import { runWrangler } from "./lib/run.mjs";
import { WORKER_TYPES, typesArgs } from "./lib/worker-types.mjs";

for (const target of WORKER_TYPES) await runWrangler(typesArgs(target));
