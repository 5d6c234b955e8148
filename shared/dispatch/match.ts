import semver from "semver";
import { InvalidRangeError } from "./errors.ts";

/**
 * True when `version` is a canonical semver string ("1.0.1", "2.0.0-beta.1").
 * Loose forms such as "v1.0.1" or "=1.0.1" are refused so that the version a log line or
 * `x-served-by` header names is exactly the key written in the registry config.
 *
 * @example
 * ```ts
 * isCanonicalVersion("1.0.1"); // true
 * isCanonicalVersion("v1.0.1"); // false
 * ```
 */
export const isCanonicalVersion = (version: string): boolean => semver.valid(version) === version;

/**
 * Every version satisfying `range`, newest first. Prereleases never match (semver's default):
 * a range names what a caller is prepared to talk to, and a prerelease is not that.
 * Throws {@link InvalidRangeError} for a range semver cannot parse, and for an empty one:
 * an empty range would silently mean "*", which is never what a caller meant to write.
 *
 * @example
 * ```ts
 * matchVersions(["1.0.0", "1.1.0", "2.0.0"], "^1.0.1"); // ["1.1.0"]
 * ```
 */
export function matchVersions(versions: Iterable<string>, range: string): string[] {
  if (range.trim() === "" || semver.validRange(range) === null) throw new InvalidRangeError(range);
  return [...versions].filter((version) => semver.satisfies(version, range)).sort(semver.rcompare);
}

/**
 * Versions sorted newest first, for listings.
 *
 * @example
 * ```ts
 * newestFirst(["1.0.0", "1.0.1"]); // ["1.0.1", "1.0.0"]
 * ```
 */
export const newestFirst = (versions: Iterable<string>): string[] => [...versions].sort(semver.rcompare);
