type Listener = (...args: never[]) => void;

/**
 * Named listener sets for the tab side of sharing: `on()` returns its remover, and a handler
 * that throws (or rejects) is reported and never stops the others. Kept here rather than
 * borrowed from the client's internals, so sharing depends on the public Client API only.
 */
export class ListenerSet {
  private readonly sets = new Map<string, Set<Listener>>();

  constructor(private readonly onHandlerError: (error: unknown, event: string) => void) {}

  on(event: string, listener: Listener): () => void {
    let set = this.sets.get(event);
    if (!set) this.sets.set(event, (set = new Set()));
    // Wrapped, so the same function added twice runs twice, as with the real client.
    const entry: Listener = (...args) => listener(...args);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit(event: string, a?: unknown, b?: unknown): void {
    const set = this.sets.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        const result: unknown = (listener as (a: unknown, b: unknown) => unknown)(a, b);
        if (
          typeof result === 'object' &&
          result !== null &&
          typeof (result as PromiseLike<unknown>).then === 'function'
        ) {
          (result as PromiseLike<unknown>).then(undefined, (error: unknown) => this.onHandlerError(error, event));
        }
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }

  clear(): void {
    this.sets.clear();
  }
}
