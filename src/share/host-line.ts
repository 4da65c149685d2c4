/**
 * A tab's line to the host that serves it now (a SharedWorker's port, its line to the leader
 * tab, or its own host), and where that host lives. Between two hosts there is no port: a
 * message about the tab's state is dropped, because the next `attach` re-sends that state;
 * what the app sends waits in an outbox for the next host. Events the old host sent before it
 * went still arrive and are delivered: a leader that closes mid-feed may have handed an event
 * to some tabs and not yet to others, and the next leader resumes from its own cursor.
 */
import type { ClientStats } from '../client/types.js';
import { safePost, type HostMessage, type PortLike, type TabMessage } from './messages.js';

/**
 * Where a shared client's connection lives: `worker` (a SharedWorker), `leader` (this tab
 * holds it for the others), `follower` (another tab does), `private` (no sharing possible
 * here: this tab has its own), `waiting` (between two hosts, during a handover).
 * @category Sharing
 */
export type ShareMode = NonNullable<ClientStats['share']>;

export interface HostLine {
  /** Where the host serving this tab lives; `waiting` while none does. */
  readonly mode: ShareMode;
  /** A host serves this tab now. */
  readonly attached: boolean;
  /** Messages waiting for the next host. */
  readonly held: number;
  /** Serves this tab from the host behind `port` (the previous port goes quiet); its messages go to `receive`. */
  attach(port: PortLike, mode: ShareMode, receive: (message: HostMessage) => void): void;
  /**
   * The host went away: `waiting` until the next `attach`. Its port still delivers the events it
   * sent before it went (the tab's cursor drops any the next host also sends), nothing else.
   */
  detach(): void;
  /** Posts to the current host; between hosts the message is dropped. False when not posted. */
  post(message: TabMessage): boolean;
  /** Posts to the current host, or keeps the message for the next one (see `flush`). */
  queue(message: TabMessage): boolean;
  /** Posts what waited for this host, in the order it was queued. */
  flush(): void;
}

export function createHostLine(): HostLine {
  let port: PortLike | undefined;
  /** The port of the host that went, until the next attach: it still delivers events. */
  let previous: PortLike | undefined;
  let mode: ShareMode = 'waiting';
  const outbox: TabMessage[] = [];

  const line: HostLine = {
    get mode() {
      return mode;
    },
    get attached() {
      return port !== undefined;
    },
    get held() {
      return outbox.length;
    },
    attach(next, nextMode, receive) {
      for (const old of [port, previous]) if (old && old !== next) old.onmessage = null;
      port = next;
      previous = undefined;
      mode = nextMode;
      next.onmessage = (event) => receive(event.data as HostMessage);
    },
    detach() {
      if (port) {
        const receive = port.onmessage;
        port.onmessage = (event) => {
          if ((event.data as HostMessage | null)?.t === 'event') receive?.(event);
        };
        previous = port;
      }
      port = undefined;
      mode = 'waiting';
    },
    post(message) {
      return port ? safePost(port, message) : false;
    },
    queue(message) {
      if (port) return safePost(port, message);
      outbox.push(message);
      return true;
    },
    flush() {
      for (const message of outbox.splice(0)) line.post(message);
    },
  };
  return line;
}
