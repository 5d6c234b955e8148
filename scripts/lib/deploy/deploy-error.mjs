// The one kind of error the deploy expects: a refusal or a failed step, with what to do about it.
// scripts/deploy.mjs prints these as they are (no stack: the message is the whole story);
// anything else is a bug and keeps its stack.

/**
 * A deploy that cannot go on, and why, in words meant for the person who ran it.
 *
 * @example
 * ```js
 * throw new DeployError("Not logged in to Cloudflare.", "Run `npm exec wrangler -- login`, then deploy again.");
 * ```
 */
export class DeployError extends Error {
  /**
   * @param {string} message What is wrong.
   * @param {string} [hint] What to do about it.
   */
  constructor(message, hint) {
    super(message);
    this.name = "DeployError";
    this.hint = hint;
  }
}
