import type { Link } from './link.js';

/** One queued application frame and the endpoint it is for. */
interface Queued {
  readonly endpoint: string;
  readonly frame: string;
}

/**
 * Application frames waiting for their connection, in order, at most `limit` of them: a
 * client that stays offline must not grow without bound.
 */
export class Outbox {
  private items: Queued[] = [];

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.items.length;
  }

  /** Queues a frame; false when the outbox is full. */
  push(endpoint: string, frame: string): boolean {
    if (this.items.length >= this.limit) return false;
    this.items.push({ endpoint, frame });
    return true;
  }

  /** Sends, in order, every frame queued for this link's endpoint. */
  flush(link: Link): void {
    if (this.items.length === 0) return;
    this.items = this.items.filter((item) => item.endpoint !== link.endpoint || !link.send(item.frame));
  }

  clear(): void {
    this.items = [];
  }
}
