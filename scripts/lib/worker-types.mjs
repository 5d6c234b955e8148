// The generated Env types: one `wrangler types` output per Worker codebase, next to its source.
// Runtime types come from @cloudflare/workers-types (one package for every Worker and the tests),
// so the generated files hold the bindings only. Vars are typed `string`, not their literal values:
// both tickets versions share one codebase whose SERVICE_VERSION differs.
import { CONFIGS } from "./workers.mjs";

/**
 * Each codebase's declaration file and the config it is generated from. Both tickets versions
 * run one codebase with the same bindings, so 1.0.0's config stands for both.
 */
export const WORKER_TYPES = [
  { config: CONFIGS.gateway, output: "workers/gateway/worker-configuration.d.ts" },
  { config: CONFIGS.ticketsV100, output: "workers/tickets/worker-configuration.d.ts" },
  { config: CONFIGS.replyFeed, output: "workers/reply-feed/worker-configuration.d.ts" },
  { config: CONFIGS.webhooks, output: "workers/webhooks/worker-configuration.d.ts" },
  { config: CONFIGS.search, output: "workers/search/worker-configuration.d.ts" },
];

/**
 * The `wrangler types` arguments that write (or, with `check`, verify) one declaration file.
 *
 * @example
 * ```js
 * await runWrangler(typesArgs(WORKER_TYPES[0], { check: true }));
 * ```
 * @param {{ config: string, output: string }} target
 * @param {{ check?: boolean }} [options]
 */
export const typesArgs = ({ config, output }, { check = false } = {}) => [
  "types",
  output,
  "-c",
  config,
  "--include-runtime=false",
  "--strict-vars=false",
  // Types come from the config alone: without an env file of its own, wrangler would read the
  // local .dev.vars (npm start writes one), and a file generated after a start would differ.
  "--env-file",
  "/dev/null",
  ...(check ? ["--check"] : []),
];
