// npm run check (after the type check): bundles every Worker with `wrangler deploy --dry-run`,
// offline and without login, so a config or an entry that could not deploy fails here (and in CI).
import path from "node:path";
import { ROOT, runWrangler } from "./lib/run.mjs";
import { WORKER_CONFIGS } from "./lib/workers.mjs";

for (const config of WORKER_CONFIGS) {
  // An absolute outdir: with a relative one, wrangler splits files between the config's folder and the cwd.
  const outdir = path.join(ROOT, "dist", path.dirname(config) === "." ? "gateway" : path.dirname(config));
  console.log(`\n== ${config}`);
  await runWrangler(["deploy", "--dry-run", "--outdir", outdir, "-c", config]);
}
console.log(`\nAll ${WORKER_CONFIGS.length} Workers bundle and their configs are valid.`);
