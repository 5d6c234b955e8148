// The one way a secret's value reaches wrangler: a JSON file for `wrangler deploy --secrets-file`,
// never the command line (visible to every user of the machine in the process list) nor the output.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Writes `values` as `{ "NAME": "value" }` to a file only this user can read (mode 0600, in a
 * fresh folder mkdtemp makes 0700), calls `use` with its path, and deletes folder and file when
 * `use` settles, failed or not.
 *
 * @example
 * ```js
 * await withSecretsFile({ SUBSCRIPTIONS_TOKEN: token }, (file) => wrangler.run(["deploy", "-c", "wrangler.toml", "--env", "staging", "--secrets-file", file]));
 * ```
 * @template T
 * @param {Record<string, string>} values
 * @param {(file: string) => Promise<T>} use
 * @returns {Promise<T>}
 */
export async function withSecretsFile(values, use) {
  const dir = mkdtempSync(path.join(tmpdir(), "deploy-secrets-"));
  try {
    const file = path.join(dir, "secrets.json");
    // wx: the file is new, so the mode applies (an existing file keeps its own).
    writeFileSync(file, JSON.stringify(values), { mode: 0o600, flag: "wx" });
    return await use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the deploy line's note says about its secrets (names and where they come from, no value).
 *
 * @param {import("./secrets.mjs").SecretUpload} upload
 */
const secretsNote = ({ values, generated, undecided }) =>
  [
    ...Object.keys(values).map((name) => `${name} ${generated.includes(name) ? "(generated)" : "(from the environment)"}`),
    ...undecided.map((name) => `${name} (generated only if \`secret list\` lacks it)`),
  ].join(", ");

/**
 * Runs `wrangler deploy` (`args`) with the Worker's secrets, if it has any to send: a real run
 * adds `--secrets-file` with a private file (withSecretsFile) and records the delivery on
 * `upload`; a dry run shows `--secrets-file <generated>` instead, writing nothing.
 *
 * @example
 * ```js
 * await deployWithSecrets(wrangler, ["deploy", "-c", "wrangler.toml", "--env", "staging"], upload, { capture: true, echo: true });
 * ```
 * @param {import("./wrangler-on-path.mjs").Wrangler} wrangler
 * @param {string[]} args
 * @param {import("./secrets.mjs").SecretUpload | undefined} upload
 * @param {import("./wrangler-on-path.mjs").RunOptions} options
 * @returns {Promise<string | null>}
 */
export async function deployWithSecrets(wrangler, args, upload, options) {
  if (!upload || (Object.keys(upload.values).length === 0 && upload.undecided.length === 0)) return wrangler.run(args, options);
  const note = `with ${secretsNote(upload)}`;
  if (wrangler.dryRun) return wrangler.run([...args, "--secrets-file", "<generated>"], { ...options, note });
  return withSecretsFile(upload.values, async (file) => {
    upload.delivery = "attempted";
    const output = await wrangler.run([...args, "--secrets-file", file], { ...options, note });
    upload.delivery = "done";
    return output;
  });
}
