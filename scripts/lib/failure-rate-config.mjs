// A per-run FAILURE_RATE for tickets 1.0.1 under wrangler dev, for a run that needs 1.0.1 failing
// every time (the page's e2e test of an open breaker) without touching anything other runs share.
//
// Why a copy of the config: wrangler dev takes vars from the .dev.vars beside each config, which
// every run in this checkout shares (so it must not be rewritten during a test), and its
// `--var` and `--env-file` apply to the first config only, the gateway (wrangler 4.156 passes the
// other configs nothing but `--env`). So the run gets its own copy of 1.0.1's wrangler.toml in a
// folder of its own, whose own .dev.vars holds the rate: the same Worker name, bindings and
// database, with the paths that were relative to the original folder made absolute.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./run.mjs";
import { CONFIGS } from "./workers.mjs";

/** Keys whose value is a path relative to the config's folder. */
const PATH_KEYS = /^(\s*(?:main|migrations_dir)\s*=\s*)"([^"]+)"/gm;

/**
 * Writes tickets 1.0.1's config and a .dev.vars with `FAILURE_RATE=rate` into `dir`, and returns
 * the config's path for wrangler's `-c`.
 *
 * @example
 * ```js
 * const config = writeFailureRateConfig(".wrangler/e2e-state/tickets-v1.0.1", "1");
 * ```
 * @param {string} dir a folder of this run's own (relative to the root, or absolute)
 * @param {string} rate 0 to 1
 */
export function writeFailureRateConfig(dir, rate) {
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(rate)) throw new Error(`TICKETS_V1_0_1_FAILURE_RATE must be between 0 and 1, got "${rate}"`);
  const original = path.join(ROOT, CONFIGS.ticketsV101);
  const target = path.resolve(ROOT, dir);
  mkdirSync(target, { recursive: true });
  let rewritten = 0;
  const text = readFileSync(original, "utf8").replace(PATH_KEYS, (_, key, value) => {
    rewritten += 1;
    return `${key}${JSON.stringify(path.resolve(path.dirname(original), value))}`;
  });
  if (!/^main\s*=/m.test(text) || rewritten === 0) throw new Error(`${CONFIGS.ticketsV101}: found no main to rewrite`);
  writeFileSync(path.join(target, "wrangler.toml"), text);
  // The original folder's .dev.vars (the loopback allow-list npm start writes), then the rate.
  const devVars = path.join(path.dirname(original), ".dev.vars");
  const shared = existsSync(devVars) ? readFileSync(devVars, "utf8").replace(/^FAILURE_RATE=.*$/m, "") : "";
  writeFileSync(path.join(target, ".dev.vars"), `${shared}${shared && !shared.endsWith("\n") ? "\n" : ""}FAILURE_RATE=${rate}\n`, { mode: 0o600 });
  return path.join(target, "wrangler.toml");
}
