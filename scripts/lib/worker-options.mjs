// Miniflare options for one of the project's Workers, built from its own wrangler.toml: the entry
// is bundled with esbuild (once per process) and the bindings are the ones its config declares.
// Used by the test projects (for the Workers beside the one under test) and by the benchmark.
import path from "node:path";
import { build } from "esbuild";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { readWorkerConfig } from "./read-config.mjs";
import { ROOT } from "./run.mjs";

const BUNDLE_DIR = path.join(ROOT, "node_modules/.cache/workers");

/** @type {Map<string, Promise<string>>} */
const bundles = new Map();

/**
 * Bundles a Worker entry once per process (variants of one Worker share the bundle).
 * @param {string} entry
 */
function bundle(entry) {
  let built = bundles.get(entry);
  if (!built) {
    const outfile = path.join(BUNDLE_DIR, `${path.relative(ROOT, entry).replaceAll(/[/\\.]/g, "_")}.mjs`);
    built = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      external: ["cloudflare:*", "node:*"],
      logLevel: "warning",
    }).then(() => outfile);
    bundles.set(entry, built);
  }
  return built;
}

/**
 * @typedef {object} WorkerSpec
 * @property {string} config Path of its wrangler.toml, relative to the repository root.
 * @property {string} [name] Worker name; defaults to the config's. Two variants of one config need two names.
 * @property {Record<string, string>} [vars] Vars to override.
 * @property {Record<string, string>} [serviceBindings] Service bindings to override (binding → Worker name).
 */

/**
 * Miniflare options of a Worker, bound the way its wrangler.toml binds it.
 * @param {WorkerSpec} spec
 * @returns {Promise<import("miniflare").V4WorkerOptions>}
 */
export async function workerOptions(spec) {
  const config = readWorkerConfig(spec.config);
  // modulesRules describe how to load an unbundled entry; ours is bundled into one module (and
  // miniflare 5 refuses the rules beside a scriptPath).
  const { workerOptions: { modulesRules: _rules, ...options }, main } = unstable_getMiniflareWorkerOptions(config);
  if (!main || !config.name) throw new Error(`${spec.config} needs a name and a main entry`);
  return /** @type {import("miniflare").V4WorkerOptions} */ ({
    ...options,
    name: spec.name ?? config.name,
    modules: true,
    scriptPath: await bundle(main),
    // Module names are relative to modulesRoot, which defaults to the config's folder; workerd
    // refuses a name that climbs out of it ("..") to reach the bundle.
    modulesRoot: BUNDLE_DIR,
    // The config's own vars win over a local .dev.vars (wrangler reads it, and npm start writes
    // one): tests and the bench run on what the config says, whatever was started here before.
    bindings: { .../** @type {Record<string, unknown>} */ (options.bindings), ...config.vars, ...spec.vars },
    serviceBindings: { .../** @type {Record<string, unknown>} */ (options.serviceBindings), ...spec.serviceBindings },
  });
}
