// Runs scripts/deploy.mjs as `npm run deploy` would, but with the stand-in wrangler first on PATH,
// on a temporary copy of the project's configs (and the migrations and seed they point at).
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { readConfigs } from "../../scripts/lib/deploy/environment.mjs";
import { ROOT } from "../../scripts/lib/run.mjs";
import { SEED_FILE, WORKER_CONFIGS } from "../../scripts/lib/workers.mjs";

const FAKE_WRANGLER = path.join(ROOT, "test/deploy/fake-wrangler");

/** What the stand-in knows about the account: see fake-wrangler.mjs. */
export interface FakeState {
  loggedIn: boolean;
  email?: string;
  accounts: { id: string; name: string }[];
  databases: { uuid: string; name: string }[];
  queues: { queue_id: string; queue_name: string }[];
  applied: Record<string, string[]>;
  gatewayUrl?: string;
  fail?: { command: string; message: string };
  /** A key per deployed Worker, with the names of its secrets. */
  secrets?: Record<string, string[]>;
  /** The values each Worker's last `deploy --secrets-file` sent. */
  secretValues?: Record<string, Record<string, string>>;
  /** Each secrets file as `deploy` found it: its absolute path and mode (octal). */
  secretsFiles?: { worker: string; path: string; mode: string }[];
}

export interface DeployRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Each wrangler call's arguments, joined with spaces, in order. */
  calls: string[];
  cwds: string[];
  state: FakeState;
}

/** A fresh account with one login and nothing in it. */
export const freshAccount = (): FakeState => ({
  loggedIn: true,
  email: "dev@example.com",
  accounts: [{ id: "0123456789abcdef0123456789abcdef", name: "Example Account" }],
  databases: [],
  queues: [],
  applied: {},
});

/** Every migrations folder a config names (the tickets database's, the search database's), relative to the root. */
export function migrationDirs(): string[] {
  const dirs = [...readConfigs(ROOT)].flatMap(([config, raw]) =>
    ((raw.d1_databases ?? []) as { migrations_dir?: string }[]).flatMap(({ migrations_dir: dir }) => (dir ? [path.join(path.dirname(config), dir)] : [])),
  );
  return [...new Set(dirs)];
}

/** A temporary project: copies of every Worker config, the migrations and the seed. */
export function copyProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), "deploy-test-"));
  for (const file of [...WORKER_CONFIGS, SEED_FILE, ...migrationDirs()]) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(root, file), { recursive: true });
  }
  return root;
}

export const readText = (root: string, file: string) => readFileSync(path.join(root, file), "utf8");

/**
 * A stand-in account (its state folder) and a project copy; `run` deploys with the given
 * arguments (plus `--root`) and returns what happened. `dispose` removes both folders.
 */
export function deployHarness(state: FakeState = freshAccount()) {
  const root = copyProject();
  const stateDir = mkdtempSync(path.join(tmpdir(), "fake-wrangler-"));
  writeFileSync(path.join(stateDir, "state.json"), JSON.stringify(state));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${FAKE_WRANGLER}${path.delimiter}${process.env.PATH}`, FAKE_WRANGLER_DIR: stateDir };
  delete env.CLOUDFLARE_ACCOUNT_ID;
  // A token in the test runner's own environment would be uploaded instead of generated.
  delete env.SUBSCRIPTIONS_TOKEN;
  const callsFile = path.join(stateDir, "calls.jsonl");

  return {
    root,
    /** The account as the stand-in now sees it. */
    state: (): FakeState => JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8")),
    setState(next: FakeState) {
      writeFileSync(path.join(stateDir, "state.json"), JSON.stringify(next));
    },
    run(...args: string[]): Promise<DeployRun> {
      return this.runWith({}, ...args);
    },
    /** `run`, with these variables added to the deploy's environment. */
    async runWith(extraEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<DeployRun> {
      writeFileSync(callsFile, "");
      // Asynchronous: the test process serves the gateway's /health while the deploy runs.
      const child = spawn(process.execPath, [path.join(ROOT, "scripts/deploy.mjs"), ...args, "--root", root], { env: { ...env, ...extraEnv }, cwd: ROOT });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      const calls = readFileSync(callsFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { args: string[]; cwd: string });
      return { status, stdout, stderr, calls: calls.map((c) => c.args.join(" ")), cwds: calls.map((c) => c.cwd), state: this.state() };
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A stand-in for the deployed gateway: answers GET /health as the real one does, and counts the calls. */
export async function fakeGateway(): Promise<{ url: string; healthChecks: () => number; close: () => Promise<void> }> {
  let checks = 0;
  const server: Server = createServer((request, response) => {
    if (request.url === "/health") checks++;
    response.writeHead(request.url === "/health" ? 200 : 404, { "content-type": "application/json" });
    response.end(JSON.stringify({ service: "gateway", version: "1.0.0" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    healthChecks: () => checks,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
