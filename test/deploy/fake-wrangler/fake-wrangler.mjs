// A stand-in for wrangler 4.156.2, for the deploy tests: it records each call and answers the
// commands scripts/deploy.mjs runs the way the real one does, from a state file instead of an
// account. The outputs were captured from the real wrangler 4.156.2 run against a local stand-in
// of the Cloudflare API (banner without the "update available" note; ids and times are made up).
//
// FAKE_WRANGLER_DIR holds state.json (read and written back) and calls.jsonl (one call a line:
// { args, cwd }). state.json:
//   loggedIn, email, accounts: [{ id, name }]
//   databases: [{ uuid, name, ... }]   as `d1 list --json` prints them
//   queues: [{ queue_id, queue_name, ... }]
//   applied: { [database uuid]: migration file names }
//   gatewayUrl: what `deploy` prints as the gateway's URL (the test serves /health there)
//   fail: { command: "d1 migrations apply", message } makes the first call starting so fail
//   secrets: { [worker name]: secret names }   a key per deployed Worker: no key, no such Worker
//   secretValues: { [worker name]: { NAME: value } }   the last values `deploy --secrets-file` sent
//   secretsFiles: [{ worker, path, mode }]   each --secrets-file as `deploy` found it (mode: octal)
//
// Hand-written, not captured, as wrangler 4.156.2's source words them (no stand-in of the API
// was run for these): `secret list` for a Worker that does not exist (its "not found" UserError),
// and `deploy`'s refusal of a Worker whose `secrets.required` are neither set nor in --secrets-file.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.env.FAKE_WRANGLER_DIR;
if (!dir) throw new Error("FAKE_WRANGLER_DIR is not set");
const args = process.argv.slice(2);
appendFileSync(path.join(dir, "calls.jsonl"), JSON.stringify({ args, cwd: process.cwd() }) + "\n");
const stateFile = path.join(dir, "state.json");
const state = JSON.parse(readFileSync(stateFile, "utf8"));
const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 2));

const VALUED = new Set(["-c", "--config", "-e", "--env", "--location", "--outdir", "--file", "--page", "--secrets-file", "--format"]);
/** @type {string[]} */
const words = [];
/** @type {Record<string, string | true>} */
const flags = {};
for (let i = 0; i < args.length; i++) {
  const arg = /** @type {string} */ (args[i]);
  if (VALUED.has(arg)) flags[arg.replace(/^-+/, "")] = /** @type {string} */ (args[++i]);
  else if (arg.startsWith("-")) flags[arg.replace(/^-+/, "")] = true;
  else words.push(arg);
}
const config = /** @type {string | undefined} */ (flags.c ?? flags.config);
const env = /** @type {string | undefined} */ (flags.env ?? flags.e);
const account = state.accounts?.[0]?.id ?? "0123456789abcdef0123456789abcdef";

const out = (/** @type {string} */ text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n");
const banner = () => out("\n \u26c5\ufe0f wrangler 4.156.2\n" + "\u2500".repeat(20));
/** wrangler's error format (colours off, as when its output is not a terminal), then exit 1. */
const fail = (/** @type {string} */ message) => {
  process.stderr.write(`\u2718 [ERROR] ${message}\n\n`);
  process.exit(1);
};
/** An API error as wrangler prints it. */
const apiError = (/** @type {string} */ route, /** @type {string} */ message, /** @type {number} */ code) =>
  fail(`A request to the Cloudflare API (${route}) failed.\n\n  ${message} [code: ${code}]\n\n  If you think this is a bug, please open an issue at:\n  https://github.com/cloudflare/workers-sdk/issues/new/choose`);

/** cli-table3 as wrangler's logger.table draws it (no word wrap, a rule between rows). */
function table(/** @type {Record<string, string>[]} */ rows) {
  if (rows.length === 0) return "";
  const head = Object.keys(/** @type {Record<string, string>} */ (rows[0]));
  const widths = head.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)) + 2);
  const rule = (/** @type {string[]} */ [l, m, r]) => l + widths.map((w) => "\u2500".repeat(w)).join(m) + r;
  const line = (/** @type {string[]} */ cells) => "\u2502" + cells.map((c, i) => ` ${c}`.padEnd(/** @type {number} */ (widths[i]))).join("\u2502") + "\u2502";
  const body = rows.map((r) => line(head.map((h) => String(r[h])))).join("\n" + rule(["\u251c", "\u253c", "\u2524"]) + "\n");
  return [rule(["\u250c", "\u252c", "\u2510"]), line(head), rule(["\u251c", "\u253c", "\u2524"]), body, rule(["\u2514", "\u2534", "\u2518"])].join("\n");
}

/** The text of one `[[env.ENV.KEY]]`-style block's `field = "..."` in a config (enough for our configs). */
function envField(/** @type {string} */ toml, /** @type {string} */ table, /** @type {string} */ field) {
  const block = toml.split(/^(?=\s*\[)/m).find((b) => b.trimStart().startsWith(`[[env.${env}.${table}]]`) || b.trimStart().startsWith(`[env.${env}.${table}]`));
  return block?.match(new RegExp(`^\\s*${field}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
}
const readConfig = () => {
  if (!config || !existsSync(config)) fail(`Could not read file: ${config}`);
  return readFileSync(/** @type {string} */ (config), "utf8");
};
/** The names in `[env.ENV.secrets]`'s `required = [...]` (one line, as our configs write it). */
const requiredSecrets = (/** @type {string} */ toml) => {
  const block = toml.split(/^(?=\s*\[)/m).find((b) => b.trimStart().startsWith(`[env.${env}.secrets]`));
  return [...(block?.match(/^\s*required\s*=\s*\[([^\]]*)\]/m)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => /** @type {string} */ (m[1]));
};
const workerName = (/** @type {string} */ toml) => `${toml.match(/^name\s*=\s*"([^"]+)"/m)?.[1]}${env ? `-${env}` : ""}`;

// A failure asked for by the test fails once: the next run resumes past it.
if (state.fail && args.join(" ").startsWith(state.fail.command)) {
  const { message } = state.fail;
  delete state.fail;
  save();
  apiError(`/accounts/${account}/d1/database`, message, 7500);
}

const command = words.slice(0, 2).join(" ");
if (words[0] === "whoami" && flags.json) {
  if (!state.loggedIn) {
    out('\n{"loggedIn":false}');
    process.exit(1);
  }
  out(JSON.stringify({ loggedIn: true, authType: "OAuth Token", email: state.email, accounts: state.accounts }, null, 4));
} else if (command === "d1 list" && flags.json) {
  out(JSON.stringify(state.databases, null, 2));
} else if (command === "d1 create") {
  const name = /** @type {string} */ (words[2]);
  if (state.databases.some((/** @type {{ name: string }} */ d) => d.name === name)) fail("A database with that name already exists");
  const uuid = randomUUID();
  state.databases.push({ uuid, name, created_at: new Date().toISOString(), version: "production", num_tables: 0, file_size: 12288, jurisdiction: null });
  save();
  banner();
  out(`\u2705 Successfully created DB '${name}' in region ${String(flags.location ?? "weur").toUpperCase()}\nCreated your new D1 database.\n`);
  out(`To access your new D1 Database in your Worker, add the following snippet to your configuration file:\n[[d1_databases]]\nbinding = "${name.replaceAll("-", "_")}"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"\n`);
} else if (command === "queues list") {
  banner();
  // One page holds every queue here: a later page is empty, as the API answers past the last one.
  const queues = Number(flags.page ?? 1) === 1 ? state.queues : [];
  out(table(queues.map((/** @type {Record<string, any>} */ q) => ({ id: q.queue_id, name: q.queue_name, created_on: q.created_on, modified_on: q.modified_on, producers: "0", consumers: "0" }))));
} else if (command === "queues create") {
  const name = /** @type {string} */ (words[2]);
  if (state.queues.some((/** @type {{ queue_name: string }} */ q) => q.queue_name === name)) {
    apiError(`/accounts/${account}/queues`, "Queue name already taken", 11009);
  }
  const now = new Date().toISOString().replace("Z", "000Z");
  state.queues.push({ queue_id: randomUUID().replaceAll("-", ""), queue_name: name, created_on: now, modified_on: now });
  save();
  banner();
  out(`\ud83c\udf00 Creating queue '${name}'\n\u2705 Created queue '${name}'\n\nConfigure your Worker to send messages to this queue:\n\n[[queues.producers]]\nqueue = "${name}"\nbinding = "${name.replaceAll("-", "_")}"\n\nConfigure your Worker to consume messages from this queue:\n\n[[queues.consumers]]\nqueue = "${name}"\n`);
} else if (command === "d1 migrations" && words[2] === "apply" && flags.remote) {
  const toml = readConfig();
  const id = /** @type {string} */ (envField(toml, "d1_databases", "database_id"));
  if (!state.databases.some((/** @type {{ uuid: string }} */ d) => d.uuid === id)) {
    apiError(`/accounts/${account}/d1/database/${id}/query`, "The requested database could not be found.", 7404);
  }
  const migrationsDir = path.resolve(path.dirname(/** @type {string} */ (config)), envField(toml, "d1_databases", "migrations_dir") ?? "migrations");
  const applied = (state.applied[id] ??= []);
  const pending = readdirSync(migrationsDir).filter((f) => f.endsWith(".sql") && !applied.includes(f)).sort();
  banner();
  out("Resource location: remote \n");
  if (pending.length === 0) {
    out("\u2705 No migrations to apply!");
  } else {
    out("Migrations to be applied:\n" + table(pending.map((name) => ({ name }))));
    out(`? About to apply ${pending.length} migration(s)\nYour database may not be available to serve requests during the migration, continue?\n\ud83e\udd16 Using fallback value in non-interactive context: yes`);
    for (const name of pending) {
      applied.push(name);
      out(`\ud83c\udf00 Executing on remote database ${words[3]} (${id}):\n\ud83c\udf00 To execute on your local development database, remove the --remote flag from your wrangler command.\n\ud83d\udea3 Executed 1 command in 1.40ms`);
      out(table(pending.map((n) => ({ name: n, status: applied.includes(n) ? "\u2705" : "\ud83d\udd52\ufe0f" }))));
    }
    save();
  }
} else if (command === "d1 execute" && flags.remote && typeof flags.file === "string") {
  if (!existsSync(flags.file)) fail(`Unable to read SQL text file "${flags.file}". Please check the file path and try again.`);
  const id = envField(readConfig(), "d1_databases", "database_id");
  banner();
  out(`Resource location: remote \n\n\ud83c\udf00 Executing on remote database ${words[2]} (${id}):\n\ud83c\udf00 To execute on your local development database, remove the --remote flag from your wrangler command.`);
  out("\ud83d\udea3 Executed 5 queries in 0.00 seconds (5 rows read, 5 rows written)\n   Database is currently at bookmark 00000001-00000005-00004f5d-0d1b2c3d4e5f.");
} else if (command === "secret list") {
  const name = workerName(readConfig());
  const names = state.secrets?.[name];
  // Hand-written (see the header): wrangler turns the API's "script not found" (10007) into this.
  if (!names) {
    fail(`Worker "${name}"${env ? ` (env: ${env})` : ""} not found.\n\n  If this is a new Worker, run \`wrangler deploy\` first to create it.\n  Otherwise, check that the Worker name is correct and you're logged into the right account.`);
  }
  // --format json (the default) prints no banner.
  out(JSON.stringify(names.map((/** @type {string} */ n) => ({ name: n, type: "secret_text" })), null, "  "));
} else if (words[0] === "deploy" && flags["dry-run"]) {
  readConfig();
  banner();
  out("Total Upload: 170.29 KiB / gzip: 38.05 KiB\nYour Worker has access to the following bindings:\n--dry-run: exiting now.");
} else if (words[0] === "deploy") {
  const toml = readConfig();
  const name = workerName(toml);
  const publicWorker = !/^workers_dev\s*=\s*false/m.test(toml);
  const crons = toml.match(/^crons\s*=\s*\["([^"]+)"\]/m)?.[1];
  /** @type {Record<string, string>} */
  let sent = {};
  if (typeof flags["secrets-file"] === "string") {
    const file = flags["secrets-file"];
    if (!existsSync(file)) fail(`ENOENT: no such file or directory, open '${path.resolve(file)}'`);
    sent = JSON.parse(readFileSync(file, "utf8"));
    (state.secretsFiles ??= []).push({ worker: name, path: path.resolve(file), mode: (statSync(file).mode & 0o777).toString(8) });
  }
  const existing = state.secrets?.[name];
  const missing = requiredSecrets(toml).filter((secret) => !(secret in sent) && !existing?.includes(secret));
  // Hand-written (see the header): wrangler's two refusals, before and after the first deploy.
  if (missing.length > 0 && !existing) {
    fail(`The following required secrets have not been set: ${missing.join(", ")}\n  This Worker does not exist yet, so secrets cannot be set in advance with \`wrangler secret put\`.\n  To deploy a new Worker with secrets, supply them via a secrets file:\n    wrangler deploy --secrets-file <path-to-file>\n  where the file contains lines in the format \`SECRET_NAME=value\` (or JSON).\n  See https://developers.cloudflare.com/workers/configuration/secrets/#secrets-on-deployed-workers for more information.`);
  }
  if (missing.length > 0) {
    fail(`The following required secrets have not been set: ${missing.join(", ")}\n  Use \`wrangler secret put <NAME>\` to set secrets before deploying,\n  or supply them when deploying with \`wrangler deploy --secrets-file <path-to-file>\`.\n  See https://developers.cloudflare.com/workers/configuration/secrets/#secrets-on-deployed-workers for more information.`);
  }
  // Secrets are additive: the ones sent join those the Worker had.
  (state.secrets ??= {})[name] = [...new Set([...(existing ?? []), ...Object.keys(sent)])];
  if (Object.keys(sent).length > 0) (state.secretValues ??= {})[name] = sent;
  save();
  banner();
  out(`Total Upload: 170.29 KiB / gzip: 38.05 KiB\nWorker Startup Time: 12 ms\nYour Worker has access to the following bindings:\n`);
  out(`Uploaded ${name} (3.14 sec)\nDeployed ${name} triggers (0.42 sec)`);
  if (publicWorker) out(`  ${state.gatewayUrl ?? `https://${name}.example-dev.workers.dev`}`);
  if (crons) out(`  schedule: ${crons}`);
  const producer = envField(toml, "queues.producers", "queue");
  if (producer) out(`  Producer for ${producer}`);
  const consumer = envField(toml, "queues.consumers", "queue");
  if (consumer) out(`  Consumer for ${consumer}`);
  out(`Current Version ID: ${randomUUID()}`);
} else {
  fail(`fake wrangler: no answer for \`wrangler ${args.join(" ")}\``);
}
