import { describe, expect, it } from "vitest";
import {
  createRegistry,
  isInvalidRangeError,
  isNoMatchingVersionError,
  isRegistryConfigError,
  isUnknownServiceError,
  matchVersions,
  type Caller,
} from "#shared/dispatch/index.ts";
import { answering, fakeService } from "./fakes.ts";

const caller = (): Caller => fakeService(answering(200));

/** The error `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

describe("matchVersions", () => {
  it("lets a newer minor serve a caret range: 1.1.0 serves ^1.0.1", () => {
    expect(matchVersions(["1.0.0", "1.1.0"], "^1.0.1")).toEqual(["1.1.0"]);
  });

  it("never crosses a major: 2.0.0 does not serve ^1.0.0", () => {
    expect(matchVersions(["2.0.0", "1.0.0"], "^1.0.0")).toEqual(["1.0.0"]);
  });

  it("excludes prereleases, even ones that would otherwise sort newest", () => {
    expect(matchVersions(["1.0.0", "1.2.0-beta.1"], "^1.0.0")).toEqual(["1.0.0"]);
    expect(matchVersions(["1.2.0-beta.1"], "*")).toEqual([]);
  });

  it("orders every satisfying version newest first, by semver not by string", () => {
    expect(matchVersions(["1.9.0", "1.10.0", "1.0.1", "1.0.0"], ">=1.0.0")).toEqual(["1.10.0", "1.9.0", "1.0.1", "1.0.0"]);
  });

  it("rejects an unparseable or empty range with a typed error", () => {
    for (const range of ["latest", "1.x.y", "", "  "]) {
      const err = thrown(() => matchVersions(["1.0.0"], range));
      expect(isInvalidRangeError(err)).toBe(true);
    }
  });
});

describe("createRegistry", () => {
  const registry = createRegistry({
    tickets: { "1.0.0": caller(), "1.0.1": caller() },
    "reply-feed": { "1.0.0": caller() },
  });

  it("returns the matching versions with their own callers, newest first", () => {
    const config = { tickets: { "1.0.0": caller(), "1.0.1": caller() } };
    const candidates = createRegistry(config).candidates("tickets", "^1.0.0");
    expect(candidates).toEqual([
      { version: "1.0.1", caller: config.tickets["1.0.1"] },
      { version: "1.0.0", caller: config.tickets["1.0.0"] },
    ]);
  });

  it("answers a range asked again (the answer is kept) with a list of its own, which a caller may change", () => {
    const first = registry.candidates("tickets", "^1.0.0");
    first.reverse().pop();
    expect(registry.candidates("tickets", "^1.0.0").map((c) => c.version)).toEqual(["1.0.1", "1.0.0"]);
  });

  it("keeps answering right past the number of ranges it keeps (clients choose them)", () => {
    for (let patch = 0; patch < 600; patch++) registry.candidates("tickets", `>=1.0.0 <1.0.${patch + 1}`);
    expect(registry.candidates("tickets", ">=1.0.0 <1.0.1").map((c) => c.version)).toEqual(["1.0.0"]);
    expect(registry.candidates("tickets", "~1.0.1").map((c) => c.version)).toEqual(["1.0.1"]);
    expect(isNoMatchingVersionError(thrown(() => registry.candidates("tickets", "^2.0.0")))).toBe(true);
  });

  it("lists services and their versions newest first, for GET /services", () => {
    expect(registry.services()).toEqual([
      { name: "tickets", versions: ["1.0.1", "1.0.0"] },
      { name: "reply-feed", versions: ["1.0.0"] },
    ]);
  });

  it("throws UnknownServiceError naming the known services", () => {
    const err = thrown(() => registry.candidates("nope" as "tickets", "^1.0.0"));
    expect(isUnknownServiceError(err)).toBe(true);
    expect(err).toMatchObject({ service: "nope", known: ["tickets", "reply-feed"] });
  });

  it("does not mistake Object.prototype members for services", () => {
    expect(registry.has("toString")).toBe(false);
    expect(isUnknownServiceError(thrown(() => registry.candidates("constructor" as "tickets", "*")))).toBe(true);
  });

  it("throws NoMatchingVersionError listing what is available", () => {
    const err = thrown(() => registry.candidates("tickets", "^2.0.0"));
    expect(isNoMatchingVersionError(err)).toBe(true);
    expect(err).toMatchObject({ service: "tickets", range: "^2.0.0", available: ["1.0.1", "1.0.0"] });
  });

  it("throws InvalidRangeError for a bad range of a known service", () => {
    expect(isInvalidRangeError(thrown(() => registry.candidates("tickets", "newest")))).toBe(true);
  });

  it("rejects non-canonical version strings at construction", () => {
    for (const version of ["v1.0.0", "1.0", "=1.0.0", "one"]) {
      const err = thrown(() => createRegistry({ tickets: { [version]: caller() } }));
      expect(isRegistryConfigError(err)).toBe(true);
      expect(String(err)).toContain(version);
    }
  });

  it("rejects a version whose binding is missing (undefined in env) at construction", () => {
    const env: Record<string, Caller | undefined> = {};
    const err = thrown(() => createRegistry({ tickets: { "1.0.0": env.TICKETS_V1_0_0 as Caller } }));
    expect(isRegistryConfigError(err)).toBe(true);
    expect(String(err)).toContain("tickets@1.0.0");
  });

  it("narrows a dynamic name with has()", () => {
    expect(registry.has("reply-feed")).toBe(true);
    expect(registry.has("replies")).toBe(false);
  });
});
