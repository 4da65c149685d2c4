/**
 * A bounded ring of one channel's most recent events, oldest evicted first.
 * Seqs in it are contiguous (every publish on the channel goes through `push`),
 * so the event after `since` is found by arithmetic, not by search.
 * @category Mock server
 */
export class ReplayBuffer<T extends { readonly seq: number }> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private size = 0;

  /** @param capacity How many events to keep; 0 keeps none. */
  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(Math.max(0, capacity));
  }

  /** Number of events held. */
  get length(): number {
    return this.size;
  }

  /** Appends an event, evicting the oldest when full. */
  push(item: T): void {
    if (this.capacity === 0) return;
    const index = (this.head + this.size) % this.capacity;
    this.items[index] = item;
    if (this.size < this.capacity) this.size += 1;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Seq of the oldest event held, or `undefined` when empty. */
  firstSeq(): number | undefined {
    return this.size === 0 ? undefined : this.at(0).seq;
  }

  /** Every held event with `seq > since`, oldest first. */
  after(since: number): T[] {
    const first = this.firstSeq();
    if (first === undefined) return [];
    const out: T[] = [];
    for (let i = Math.max(0, since + 1 - first); i < this.size; i += 1) out.push(this.at(i));
    return out;
  }

  private at(offset: number): T {
    return this.items[(this.head + offset) % this.capacity] as T;
  }
}
