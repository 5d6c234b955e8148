// The deploy's first remote step: is there a Cloudflare login, and which account will it use?
import { DeployError } from "./deploy-error.mjs";

const LOGIN_HINT = "Run `npm exec wrangler -- login` (or set CLOUDFLARE_API_TOKEN), then deploy again.";

/**
 * Refuses unless `wrangler whoami --json` reports a login, and unless the account is unambiguous:
 * with several accounts and no CLOUDFLARE_ACCOUNT_ID, wrangler would ask which one, and the
 * deploy runs without a prompt. Returns a one-line description of who deploys where (null in a dry run).
 *
 * @example
 * ```js
 * await requireLogin(createWrangler({ root, dryRun: false }));
 * // "dev@example.com, account Example Account (0123…)"
 * ```
 * @param {import("./wrangler-on-path.mjs").Wrangler} wrangler
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<string | null>}
 */
export async function requireLogin(wrangler, env = process.env) {
  // --json exits non-zero when not logged in (plain `whoami` exits 0 and says so in prose).
  const out = await wrangler.run(["whoami", "--json"], { capture: true, mayFail: true });
  if (out === null) return null;
  /** @type {{ loggedIn?: boolean, email?: string, accounts?: { id: string, name: string }[] }} */
  let who;
  try {
    who = JSON.parse(out);
  } catch {
    throw new DeployError("`wrangler whoami --json` did not answer with JSON; its message is above.", LOGIN_HINT);
  }
  if (!who.loggedIn) throw new DeployError("Not logged in to Cloudflare.", LOGIN_HINT);
  const accounts = who.accounts ?? [];
  const chosen = env.CLOUDFLARE_ACCOUNT_ID ? accounts.find((a) => a.id === env.CLOUDFLARE_ACCOUNT_ID) : accounts.length === 1 ? accounts[0] : undefined;
  if (!chosen) {
    const list = accounts.map((a) => `${a.name} (${a.id})`).join(", ") || "none";
    throw new DeployError(
      env.CLOUDFLARE_ACCOUNT_ID
        ? `CLOUDFLARE_ACCOUNT_ID is ${env.CLOUDFLARE_ACCOUNT_ID}, which is not one of this login's accounts: ${list}.`
        : `This login can use ${accounts.length} accounts: ${list}.`,
      "Set CLOUDFLARE_ACCOUNT_ID to the account to deploy to, then deploy again.",
    );
  }
  return `${who.email ?? "an API token"}, account ${chosen.name} (${chosen.id})`;
}
