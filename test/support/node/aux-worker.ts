// The pool reads the wrangler config of the Worker under test only: every other Worker a test
// project runs beside it is built from its own wrangler.toml by scripts/lib/worker-options.mjs.
export { workerOptions as auxWorker } from "../../../scripts/lib/worker-options.mjs";
