// The demo's view of the public API: small calls that return what the narration needs.

/**
 * @param {string} base
 */
export function demoClient(base) {
  /**
   * @param {string} path
   * @param {RequestInit} [init]
   */
  async function call(path, init = {}) {
    const res = await fetch(`${base}${path}`, init);
    const body = await res.json();
    return { res, body, servedBy: res.headers.get("x-served-by"), fallbackFrom: res.headers.get("x-fallback-from") };
  }

  return {
    call,
    /** @param {string} path @param {unknown} body */
    post: (path, body) =>
      call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    /** The breaker state of one version of `tickets`, as GET /services reports it. */
    async breakerOf(/** @type {string} */ version) {
      const { body } = await call("/services");
      /** @type {{ name: string, versions: { version: string, state: string, counts: Record<string, number> }[] }[]} */
      const services = body.services;
      return services.find((s) => s.name === "tickets")?.versions.find((v) => v.version === version);
    },
  };
}

/** Prints a section heading. @param {string} title @param {string} [intro] */
export function section(title, intro) {
  console.log(`\n── ${title} ${"─".repeat(Math.max(0, 74 - title.length))}`);
  if (intro) console.log(intro);
}
