// What the page's files are served with, and that serving them changed nothing of the API.
import { describe, expect, it } from "vitest";
import type { E2eSuite } from "../support/suite.ts";

export function securityCases(suite: E2eSuite) {
  describe("serving the page", () => {
    it("sends a Content-Security-Policy that allows no inline script and no other origin", async () => {
      const res = await fetch(`${suite.system.base}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("require-trusted-types-for 'script'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      // No inline script or handler in the markup for the CSP to refuse.
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=/i);
    });

    it("leaves the API as it was: JSON answers, and an unknown route is still the JSON 404", async () => {
      const tickets = await fetch(`${suite.system.base}/tickets`);
      expect(tickets.headers.get("content-type")).toMatch(/^application\/json/);
      expect(tickets.headers.get("content-security-policy")).toBeNull();
      const missing = await fetch(`${suite.system.base}/no/such/route`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
    });

    it("in the page, innerHTML is refused by Trusted Types", async () => {
      const page = await suite.open("/", { allow: [/requires 'TrustedHTML' assignment/] });
      const refused = await page.evaluate(() => {
        try {
          document.body.appendChild(document.createElement("div")).innerHTML = "<b>x</b>";
          return false;
        } catch {
          return true;
        }
      });
      expect(refused).toBe(true);
    });
  });
}
