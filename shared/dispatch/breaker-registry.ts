import { Breaker } from "./breaker.ts";
import type { BreakerOptions, BreakerSnapshot, BreakerState, CallCounts } from "./breaker-types.ts";
import { Emitter, type Disposer, type Listener } from "./emitter.ts";

/** A breaker of one service version changed state. */
export interface BreakerStateChange {
  /** `service@version`. */
  key: string;
  service: string;
  version: string;
  from: BreakerState;
  to: BreakerState;
  /** When the change was observed, from the registry's clock. */
  at: number;
}

/** Options shared by every breaker of a {@link BreakerRegistry}, plus saved state to resume from. */
export interface BreakerRegistryOptions extends Omit<BreakerOptions, "initial" | "onStateChange"> {
  /** Snapshots by `service@version`, as produced by `toJSON()`. */
  initial?: Record<string, BreakerSnapshot>;
}

/** What `GET /services` shows of one version. */
export interface BreakerStatus {
  state: BreakerState;
  counts: CallCounts;
}

/**
 * The key of a service version, also the value of `x-served-by`.
 *
 * @example
 * ```ts
 * versionKey("tickets", "1.0.1"); // "tickets@1.0.1"
 * ```
 */
export const versionKey = (service: string, version: string): string => `${service}@${version}`;

/**
 * One breaker per service version, created on first use. Keep one instance at module scope
 * in the gateway so that every request served by the isolate shares what the others learned.
 *
 * @example
 * ```ts
 * // gateway module scope
 * const breakers = new BreakerRegistry({ failureThreshold: 3, cooldownMs: 10_000 });
 * breakers.onStateChange((c) => console.log(JSON.stringify({ event: "breaker.state", ...c })));
 * ```
 */
export class BreakerRegistry {
  readonly #options: BreakerRegistryOptions;
  readonly #breakers = new Map<string, Breaker>();
  readonly #changes = new Emitter<BreakerStateChange>();

  constructor(options: BreakerRegistryOptions = {}) {
    this.#options = options;
  }

  /** The breaker of `service@version`, created (from saved state, if any) on first use. */
  get(service: string, version: string): Breaker {
    const key = versionKey(service, version);
    let breaker = this.#breakers.get(key);
    if (breaker === undefined) {
      const { initial, ...shared } = this.#options;
      const saved = initial !== undefined && Object.hasOwn(initial, key) ? initial[key] : undefined;
      breaker = new Breaker({
        ...shared,
        ...(saved === undefined ? {} : { initial: saved }),
        onStateChange: (change) => this.#changes.emit({ key, service, version, ...change }),
      });
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  /** State and counts of `service@version`. */
  status(service: string, version: string): BreakerStatus {
    const breaker = this.get(service, version);
    return { state: breaker.state, counts: breaker.counts };
  }

  /** Subscribes to state changes of every breaker; returns the function that unsubscribes. */
  onStateChange(listener: Listener<BreakerStateChange>): Disposer {
    return this.#changes.subscribe(listener);
  }

  /** Snapshots by `service@version` (restored ones not used since included); pass back as `initial`. */
  toJSON(): Record<string, BreakerSnapshot> {
    const used = Object.fromEntries([...this.#breakers].map(([key, breaker]) => [key, breaker.toJSON()]));
    return { ...this.#options.initial, ...used };
  }
}
