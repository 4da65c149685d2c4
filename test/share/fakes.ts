/**
 * In-memory stand-ins for what `share: 'tabs'` takes from a browser, so election, ref counting
 * and proxying run in Node: Web Locks (exclusive, FIFO, released when the callback's promise
 * settles or its context dies), and "tabs" that own their locks, BroadcastChannels (Node's
 * own, which really cross between instances) and MessageChannels, and can be killed without
 * a goodbye. To extend: give `FakeTab` whatever else a test needs to cut (e.g. a socket).
 */
import { BroadcastChannel as NodeBroadcastChannel, MessageChannel as NodeMessageChannel } from 'node:worker_threads';
import type { LockManagerLike, LockRequestOptions } from '../../src/share/locks.js';
import type { PortLike } from '../../src/share/messages.js';
import type { ShareEnvironment } from '../../src/share/shared-client.js';

interface Request {
  readonly owner: FakeLockContext;
  readonly callback: (lock: unknown) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** One origin's lock manager; `context()` is one tab's (or worker's) view of it. */
export class FakeLocks {
  private readonly held = new Map<string, Request>();
  private readonly queues = new Map<string, Request[]>();

  context(): FakeLockContext {
    return new FakeLockContext(this);
  }

  /** Names currently held (for assertions). */
  heldNames(): string[] {
    return [...this.held.keys()];
  }

  /** @internal */
  request(
    owner: FakeLockContext,
    name: string,
    options: LockRequestOptions,
    callback: (lock: unknown) => unknown,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
      if (options.ifAvailable && this.held.has(name)) {
        Promise.resolve()
          .then(() => callback(null))
          .then(resolve, reject);
        return;
      }
      const request: Request = { owner, callback, resolve, reject };
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      queue.push(request);
      options.signal?.addEventListener('abort', () => {
        const index = queue.indexOf(request);
        if (index < 0) return; // already granted: aborting does not release
        queue.splice(index, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
      this.grant(name);
    });
  }

  /** @internal Drops everything a dead context holds or waits for (no callback settles). */
  kill(owner: FakeLockContext): void {
    for (const [name, queue] of this.queues) {
      this.queues.set(
        name,
        queue.filter((r) => r.owner !== owner),
      );
    }
    for (const [name, request] of [...this.held]) {
      if (request.owner !== owner) continue;
      this.held.delete(name);
      this.grant(name);
    }
  }

  private grant(name: string): void {
    if (this.held.has(name)) return;
    const next = this.queues.get(name)?.shift();
    if (!next) return;
    this.held.set(name, next);
    // Granted asynchronously, as in browsers.
    queueMicrotask(() => {
      if (next.owner.dead) return;
      let result: unknown;
      try {
        result = next.callback({ name });
      } catch (error) {
        result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      Promise.resolve(result).then(
        (value) => this.release(name, next, () => next.resolve(value)),
        (error: unknown) => this.release(name, next, () => next.reject(error)),
      );
    });
  }

  private release(name: string, request: Request, settle: () => void): void {
    if (this.held.get(name) === request) {
      this.held.delete(name);
      this.grant(name);
    }
    settle();
  }
}

export class FakeLockContext implements LockManagerLike {
  dead = false;
  constructor(private readonly manager: FakeLocks) {}
  request(name: string, options: LockRequestOptions, callback: (lock: unknown) => unknown): Promise<unknown> {
    if (this.dead) return new Promise(() => {});
    return this.manager.request(this, name, options, callback);
  }
  kill(): void {
    this.dead = true;
    this.manager.kill(this);
  }
}

/** Page lifecycle events, fired by the test. */
export class FakePage extends EventTarget {
  fire(type: 'freeze' | 'resume' | 'pagehide' | 'pageshow'): void {
    this.dispatchEvent(new Event(type));
  }
}

/** A tab: its locks, channels and ports, so `kill()` can end them all at once, as a crash does. */
export class FakeTab {
  readonly page = new FakePage();
  readonly lockContext: FakeLockContext;
  private readonly ports = new Set<{ close(): void }>();

  constructor(locks: FakeLocks) {
    this.lockContext = locks.context();
  }

  get environment(): ShareEnvironment {
    return {
      locks: this.lockContext,
      page: this.page,
      channel: (name) => {
        const bc = new NodeBroadcastChannel(name);
        this.ports.add(bc);
        return bc as unknown as PortLike;
      },
      pair: () => {
        const { port1, port2 } = new NodeMessageChannel();
        this.ports.add(port1);
        this.ports.add(port2);
        return { tab: port1 as unknown as PortLike, host: port2 as unknown as PortLike };
      },
    };
  }

  /** The tab is gone without a word: its channels go quiet and its locks are released. */
  kill(): void {
    for (const port of this.ports) port.close();
    this.ports.clear();
    this.lockContext.kill();
  }
}

/**
 * One end of a port that records what is posted to it, cloned as a real port would (so a
 * payload that cannot be cloned throws, like `postMessage`). `deliver()` plays a message from
 * the other side. To extend: add what a test needs to observe (e.g. `close()` calls).
 */
export class RecordingPort implements PortLike {
  readonly posted: unknown[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  closed = false;

  postMessage(message: unknown): void {
    this.posted.push(structuredClone(message));
  }

  deliver(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }

  close(): void {
    this.closed = true;
  }
}
