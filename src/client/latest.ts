type Listener = () => void;

/** The listeners of one message type: of its most recent value, and of each key's. */
interface TypeListeners {
  readonly any: Set<Listener>;
  readonly byKey: Map<string, Set<Listener>>;
}

/**
 * Who listens to which value of the latest store (`client.latest(type, key)`), so that an event
 * wakes the listeners of its own key only: with 1,000 `useLatest` consumers over 1,000 keys, a
 * message costs one Map lookup and one call, not 1,000 calls (docs/benchmarks.md, React).
 */
export interface LatestListeners {
  /** Calls `listener` after `latest(type, key)` changed (every event of `type` when `key` is undefined). Returns the function that stops. */
  listen(type: string, key: string | undefined, listener: Listener): () => void;
  /** The receive path stored an event of `type` under `key` (undefined: the type has no key function). Runs per event. */
  changed(type: string, key: string | undefined): void;
}

/** `threw`: a listener that throws is reported there and the others still run. */
export function createLatestListeners(threw: (error: unknown) => void): LatestListeners {
  const byType = new Map<string, TypeListeners>();

  function call(set: Set<Listener>): void {
    for (const listener of set) {
      try {
        listener();
      } catch (error) {
        threw(error);
      }
    }
  }

  return {
    listen(type, key, listener) {
      let entry = byType.get(type);
      if (!entry) byType.set(type, (entry = { any: new Set(), byKey: new Map() }));
      const { any, byKey } = entry;
      let set = any;
      if (key !== undefined) {
        const existing = byKey.get(key);
        if (existing) set = existing;
        else byKey.set(key, (set = new Set()));
      }
      // A wrapper per call: the same function listening twice is two listeners, each stopped once.
      const own: Listener = () => listener();
      set.add(own);
      return () => {
        set.delete(own);
        // Empty sets go, so keys nobody watches any more cost no memory.
        if (key !== undefined && set.size === 0 && byKey.get(key) === set) byKey.delete(key);
        if (any.size === 0 && byKey.size === 0 && byType.get(type) === entry) byType.delete(type);
      };
    },
    changed(type, key) {
      if (byType.size === 0) return;
      const entry = byType.get(type);
      if (!entry) return;
      if (entry.any.size > 0) call(entry.any);
      if (key === undefined) return;
      const set = entry.byKey.get(key);
      if (set) call(set);
    },
  };
}
