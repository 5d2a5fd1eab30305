/** A typed event emitter small enough to read in one glance; no dependency. */
export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  /**
   * @param onListenerError where an exception thrown by a listener goes. A
   *   throwing listener must not break the caller's loop (the sync engine
   *   would otherwise stop between two updates), so it is reported, not thrown.
   */
  constructor(private readonly onListenerError: (error: unknown) => void = reportLater) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  once<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(type, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof Events>(type: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(type)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    const set = this.#listeners.get(type);
    if (!set) return;
    // Copy: a listener may unsubscribe (e.g. `once`) while we iterate.
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  listenerCount<K extends keyof Events>(type: K): number {
    return this.#listeners.get(type)?.size ?? 0;
  }
}

/** Rethrows outside the current call stack, where the host reports uncaught errors. */
function reportLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
