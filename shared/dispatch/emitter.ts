/** Call it to stop listening. */
export type Disposer = () => void;

/** A function that receives one kind of event. */
export type Listener<T> = (event: T) => void;

/**
 * A minimal typed event source, the shape of cockatiel's `onSuccess(listener)`: subscribing
 * returns a {@link Disposer}. A listener that throws is reported and skipped, because an
 * observer must never change the outcome of the call it observes.
 *
 * @example
 * ```ts
 * const emitter = new Emitter<{ version: string }>();
 * const dispose = emitter.subscribe((e) => console.log(e.version));
 * emitter.emit({ version: "1.0.0" });
 * dispose();
 * ```
 */
export class Emitter<T> {
  readonly #listeners = new Set<Listener<T>>();

  /** Adds `listener`; the returned function removes it (calling it twice is harmless). */
  readonly subscribe = (listener: Listener<T>): Disposer => {
    // Wrapped so that the same function subscribed twice is two subscriptions, each disposable.
    const entry: Listener<T> = (event) => listener(event);
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  };

  /** True when someone listens: an event nobody listens to need not be built. */
  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  /** Calls every listener subscribed at the time of the call, in subscription order. */
  emit(event: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (err) {
        console.error(JSON.stringify({ event: "dispatch.listener_error", message: String(err) }));
      }
    }
  }
}
