/** Listener signatures of a unit's reports, by name. */
export type ReportMap = { [name: string]: (...args: never[]) => void };

/**
 * How a unit reports upward: its owner listens with `on()` (which returns the function that stops
 * listening); the unit calls `emit()`. Commands go the other way, as method calls. Listeners run
 * in the order they were added; a unit never relies on what a listener did (no re-checking its
 * own state after emitting).
 */
export class Reports<M extends ReportMap> {
  private readonly listeners: { [K in keyof M]?: Set<M[K]> } = {};

  on<K extends keyof M>(name: K, listener: M[K]): () => void {
    const set = (this.listeners[name] ??= new Set<M[K]>());
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<K extends keyof M>(name: K, ...args: Parameters<M[K]>): void {
    const set = this.listeners[name];
    if (!set) return;
    // Indexed, not spread: V8 then needs no array per call. No report has more than four values.
    const a: unknown[] = args;
    for (const listener of set)
      (listener as unknown as (a: unknown, b: unknown, c: unknown, d: unknown) => void)(a[0], a[1], a[2], a[3]);
  }

  /** Detaches every listener (the owner drops this unit: nothing it does later reaches anyone). */
  clear(): void {
    for (const key of Object.keys(this.listeners)) delete this.listeners[key];
  }
}
