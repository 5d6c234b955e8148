// Builds the options of an auxiliary Worker for the Workers test pool: the pool reads the
// wrangler config of the Worker under test only, so every other Worker is bundled here with
// esbuild and given the bindings its own wrangler.toml declares.
import path from "node:path";
import { build } from "esbuild";
import type { WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

import { ROOT } from "./projects.ts";
const BUNDLE_DIR = path.join(ROOT, "node_modules/.cache/test-workers");

/** An auxiliary Worker: its wrangler config, the name to run it under, and vars to override. */
export interface AuxWorkerSpec {
  /** Path of its wrangler.toml, relative to the repository root. */
  config: string;
  /** Worker name; defaults to the config's name. Two variants of one config need two names. */
  name?: string;
  vars?: Record<string, string>;
}

const bundles = new Map<string, Promise<string>>();

/** Bundles a Worker entry once per test run (variants of one Worker share the bundle). */
function bundle(entry: string): Promise<string> {
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

/** Miniflare options of an auxiliary Worker, bound the way its wrangler.toml binds it. */
export async function auxWorker(spec: AuxWorkerSpec): Promise<WorkerOptions> {
  const configPath = path.join(ROOT, spec.config);
  const config = unstable_readConfig({ config: configPath });
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(config);
  if (!main || !config.name) throw new Error(`${spec.config} needs a name and a main entry`);
  const scriptPath = await bundle(main);
  return {
    ...workerOptions,
    name: spec.name ?? config.name,
    modules: true,
    scriptPath,
    bindings: { ...workerOptions.bindings, ...spec.vars },
  } as WorkerOptions;
}
