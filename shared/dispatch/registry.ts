import { NoMatchingVersionError, RegistryConfigError, UnknownServiceError } from "./errors.ts";
import { isCanonicalVersion, matchVersions, newestFirst } from "./match.ts";

/**
 * Anything that can be called like a service binding. A Workers `Fetcher` fits, and so does
 * a plain object in tests.
 */
export interface Caller {
  fetch(request: Request): Promise<Response>;
}

/** Services by name, each mapping semver versions to their caller. */
export type RegistryConfig = Record<string, Record<string, Caller>>;

/** One matching version of a service, with its caller. */
export interface Candidate {
  version: string;
  caller: Caller;
}

/** A service and its versions, newest first: what `GET /services` lists. */
export interface ServiceListing {
  name: string;
  versions: string[];
}

/**
 * The services the gateway may call, built once from typed config by {@link createRegistry}.
 * `S` is the union of service names, so a typo in `dispatch("tikets", ...)` fails to compile.
 */
export interface Registry<S extends string = string> {
  /** True when `name` is a registered service; narrows a name taken from a URL. */
  has(name: string): name is S;
  /** Matching versions, newest first. Throws the typed lookup errors of `errors.ts`. */
  candidates(service: S, range: string): Candidate[];
  /** Every service with its versions, newest first. */
  services(): ServiceListing[];
}

/** Distinct service-and-range answers a registry keeps before it starts over. */
const MAX_CACHED_RANGES = 256;

const isCaller = (value: unknown): value is Caller =>
  typeof value === "object" && value !== null && typeof (value as Caller).fetch === "function";

function validate(config: RegistryConfig): void {
  for (const [name, versions] of Object.entries(config)) {
    for (const [version, caller] of Object.entries(versions)) {
      if (!isCanonicalVersion(version)) {
        throw new RegistryConfigError(`${name}: "${version}" is not a canonical semver version`);
      }
      // A missing binding in wrangler config shows up here as `undefined`: fail at startup, not per call.
      if (!isCaller(caller)) throw new RegistryConfigError(`${name}@${version}: no caller with a fetch() method`);
    }
  }
}

/**
 * Builds a {@link Registry}. Rejects non-canonical versions and missing callers at once, so a
 * bad deploy config fails at the first request instead of on some later fallback.
 *
 * @example
 * ```ts
 * const registry = createRegistry({
 *   tickets: { "1.0.0": env.TICKETS_V1_0_0, "1.0.1": env.TICKETS_V1_0_1 },
 *   "reply-feed": { "1.0.0": env.REPLY_FEED_V1_0_0 },
 * });
 * registry.candidates("tickets", "^1.0.0").map((c) => c.version); // ["1.0.1", "1.0.0"]
 * ```
 */
export function createRegistry<const C extends RegistryConfig>(config: C): Registry<Extract<keyof C, string>> {
  validate(config);
  const names = Object.keys(config);
  const versionsOf = (name: string): Record<string, Caller> | undefined =>
    Object.hasOwn(config, name) ? config[name] : undefined;

  // The answer for a service and range never changes (the config is fixed), and parsing a range
  // and comparing versions is most of a dispatch's own work: each answer is kept, for at most
  // MAX_CACHED_RANGES ranges (they come from clients), and only answers: errors are thrown afresh.
  const cached = new Map<string, Candidate[]>();
  const match = (service: string, range: string): Candidate[] => {
    const versions = versionsOf(service);
    if (versions === undefined) throw new UnknownServiceError(service, names);
    const matching = matchVersions(Object.keys(versions), range);
    if (matching.length === 0) {
      throw new NoMatchingVersionError(service, range, newestFirst(Object.keys(versions)));
    }
    return matching.map((version) => ({ version, caller: versions[version] as Caller }));
  };

  return {
    has: (name): name is Extract<keyof C, string> => versionsOf(name) !== undefined,
    candidates(service, range) {
      const key = `${service} ${range}`;
      let candidates = cached.get(key);
      if (candidates === undefined) {
        candidates = match(service, range);
        if (cached.size >= MAX_CACHED_RANGES) cached.clear();
        cached.set(key, candidates);
      }
      // A copy: a caller may change the list it is given.
      return [...candidates];
    },
    services: () => names.map((name) => ({ name, versions: newestFirst(Object.keys(config[name] ?? {})) })),
  };
}
