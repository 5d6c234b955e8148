// npm run typecheck: every generated Env file must match its wrangler config (`wrangler types
// --check`), then each TypeScript project of tsconfig.json is checked on its own, so a Worker or
// a test area sees only its own Worker's bindings.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT, runWrangler } from "./lib/run.mjs";
import { WORKER_TYPES, typesArgs } from "./lib/worker-types.mjs";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/**
 * Runs tsc on one project; resolves to its output when it fails, to null when it passes.
 * @param {string} project
 * @returns {Promise<string | null>}
 */
function tsc(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSC, "-p", project], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve(code === 0 ? null : output));
  });
}

for (const target of WORKER_TYPES) {
  try {
    await runWrangler(typesArgs(target, { check: true }));
  } catch {
    console.error(`\n${target.output} is stale: run \`npm run cf-typegen\` and commit the result.`);
    process.exit(1);
  }
}

// The projects tsconfig.json references (it strips no comments: it holds none inside its JSON values).
const solution = JSON.parse(readFileSync(path.join(ROOT, "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""));
/** @type {string[]} */
const projects = solution.references.map((/** @type {{ path: string }} */ reference) => reference.path);
// Two at a time: this machine has two cores.
/** @type {{ project: string, output: string }[]} */
const failures = [];
for (let i = 0; i < projects.length; i += 2) {
  const batch = projects.slice(i, i + 2);
  const outputs = await Promise.all(batch.map(tsc));
  outputs.forEach((output, n) => output !== null && failures.push({ project: /** @type {string} */ (batch[n]), output }));
}
for (const { project, output } of failures) console.error(`\n== ${project}\n${output}`);
if (failures.length > 0) process.exit(1);
console.log(`Types: ${WORKER_TYPES.length} generated Env files up to date, ${projects.length} projects check.`);
