/**
 * Errors about the registry and the caller's arguments: mistakes in config or in a request,
 * never a service failing (that is {@link ./no-service-available.ts}).
 *
 * Each error has a fixed `name`, and each `isXxxError` check also accepts an error from another
 * copy of this module (two bundles, a test double), where `instanceof` alone would say no.
 */

/** True when `value` is an Error named `name`; the base of every `isXxxError` check. */
export const hasName = (value: unknown, name: string): boolean => value instanceof Error && value.name === name;

/**
 * The registry config is wrong: a version that is not a canonical semver string,
 * or a version with no fetch-shaped caller (typically an unbound `env` entry).
 *
 * @example
 * ```ts
 * createRegistry({ tickets: { "v1": env.TICKETS } }); // throws RegistryConfigError
 * ```
 */
export class RegistryConfigError extends Error {
  override readonly name = "RegistryConfigError";
}

/** @example `if (isRegistryConfigError(err)) console.error(err.message);` */
export const isRegistryConfigError = (value: unknown): value is RegistryConfigError =>
  hasName(value, "RegistryConfigError");

/**
 * The requested service is not in the registry.
 *
 * @example
 * ```ts
 * try { registry.candidates("nope", "^1.0.0"); } catch (err) { if (isUnknownServiceError(err)) err.known; }
 * ```
 */
export class UnknownServiceError extends Error {
  override readonly name = "UnknownServiceError";
  constructor(
    readonly service: string,
    readonly known: readonly string[],
  ) {
    super(`unknown service "${service}" (known: ${known.join(", ") || "none"})`);
  }
}

/** @example `if (isUnknownServiceError(err)) return notFound(err.service);` */
export const isUnknownServiceError = (value: unknown): value is UnknownServiceError =>
  hasName(value, "UnknownServiceError");

/**
 * The range is not a valid semver range (for example `"1.x.y"`, or empty).
 *
 * @example
 * ```ts
 * registry.candidates("tickets", "latest"); // throws InvalidRangeError
 * ```
 */
export class InvalidRangeError extends Error {
  override readonly name = "InvalidRangeError";
  constructor(readonly range: string) {
    super(`"${range}" is not a valid semver range`);
  }
}

/** @example `if (isInvalidRangeError(err)) return badRequest(err.message);` */
export const isInvalidRangeError = (value: unknown): value is InvalidRangeError =>
  hasName(value, "InvalidRangeError");

/**
 * The service exists, but none of its (non-prerelease) versions satisfies the range.
 *
 * @example
 * ```ts
 * registry.candidates("tickets", "^2.0.0"); // throws NoMatchingVersionError, available ["1.0.1", "1.0.0"]
 * ```
 */
export class NoMatchingVersionError extends Error {
  override readonly name = "NoMatchingVersionError";
  constructor(
    readonly service: string,
    readonly range: string,
    readonly available: readonly string[],
  ) {
    super(`no version of "${service}" satisfies "${range}" (available: ${available.join(", ") || "none"})`);
  }
}

/** @example `if (isNoMatchingVersionError(err)) return notFound(err.message);` */
export const isNoMatchingVersionError = (value: unknown): value is NoMatchingVersionError =>
  hasName(value, "NoMatchingVersionError");
