// Each service version's breaker and counts from GET /services, every 2 s. The figures are the
// answering isolate's own (each gateway isolate keeps its breakers in memory), which the panel
// says in words; locally there is one isolate, on Cloudflare there are many.
import { callApi } from "./api.js";
import { byId, el, setStatus } from "./dom.js";

const REFRESH_MS = 2_000;

/**
 * One row. A version's failures and skips fell back when an older version exists to take the call
 * (versions come newest first); the oldest has none to fall back to. (A request whose
 * Accept-Version admits only this version gets a 503 instead: the panel cannot tell those apart.)
 * @param {string} service
 * @param {any} version
 * @param {boolean} hasOlder
 */
function versionRow(service, version, hasOlder) {
  const { calls, failures, skips } = version.counts;
  return el(
    "tr",
    { "data-version": `${service}@${version.version}`, "data-state": version.state },
    // May wrap after the "@" on a narrow panel.
    el("th", { scope: "row" }, `${service}@`, el("wbr"), version.version),
    el("td", {}, el("span", { class: `badge breaker-${version.state}` }, version.state)),
    el("td", {}, String(calls)),
    el("td", {}, String(failures)),
    el("td", {}, String(skips)),
    el("td", {}, hasOlder ? String(failures + skips) : "–"),
  );
}

export function versionsPanel() {
  const body = byId("versions-body");
  const status = byId("versions-status");

  async function refresh() {
    if (!document.hidden) {
      const answer = await callApi("/services");
      if (answer.ok) {
        body.replaceChildren(
          ...answer.data.services.flatMap((/** @type {any} */ service) =>
            service.versions.map((/** @type {any} */ version, /** @type {number} */ i) => versionRow(service.name, version, i < service.versions.length - 1)),
          ),
        );
        setStatus(status, `Updated ${new Date().toLocaleTimeString()}.`, "ok");
      } else {
        setStatus(status, `Could not refresh: ${answer.message}`, "error");
      }
    }
    setTimeout(refresh, REFRESH_MS);
  }

  void refresh();
}
