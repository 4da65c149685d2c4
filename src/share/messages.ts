/**
 * What tabs and the connection host say to each other over a MessagePort or BroadcastChannel.
 * Everything here is structured-cloneable: no functions, no zod schemas, no Error subclasses
 * (a DashwireError loses its `code` in a structured clone, so errors travel as plain records).
 */
import { DashwireError, type DashwireErrorCode } from '../errors.js';
import type { SubscriptionParams } from '../protocol/types.js';
import type { ClientStats, ConnectionState, SubscriptionState } from '../client/types.js';
import type { EventMeta } from '../client/message-types.js';

/** Which protocol the host builds, by name, with JSON options (protocols hold functions and cannot be posted). @category Sharing */
export interface ProtocolRef {
  readonly name: string;
  readonly options?: unknown;
}

/** An error as it crosses a port. */
export interface PostedError {
  readonly code: DashwireErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** What a tab asks the host to connect to: identity, protocol and the JSON-safe client options. */
export interface ShareInit {
  /** url + protocol name + the app's identity string: clients with different keys never share. */
  readonly key: string;
  readonly protocol: ProtocolRef;
  /** JSON-safe subset of the tab's ClientOptions (functions are dropped, `auth` is proxied). */
  readonly options: Record<string, unknown>;
  /** The tab has a token provider the host may ask. */
  readonly auth: boolean;
}

/** A subscription as a tab holds it (`sid` is unique within the tab's client). */
export interface PostedSubscription {
  readonly sid: number;
  readonly channel: string;
  readonly params: SubscriptionParams;
}

/** Tab → host. */
export type TabMessage =
  | {
      readonly t: 'attach';
      readonly peer: string;
      readonly init: ShareInit;
      /** Last seq seen per channel: seeds `resume` when this attach creates the connection. */
      readonly cursors: Record<string, number>;
      readonly subs: readonly PostedSubscription[];
      /** Lifecycle events the tab has listeners for (`invalid`, `unknown`, `error`, `gap`). */
      readonly listening: readonly string[];
      readonly connect: boolean;
    }
  | { readonly t: 'sub'; readonly sub: PostedSubscription }
  | { readonly t: 'unsub'; readonly sid: number }
  | { readonly t: 'listen'; readonly event: string }
  | { readonly t: 'connect' }
  | { readonly t: 'polling' }
  | { readonly t: 'send'; readonly message: string | object; readonly channel?: string }
  | { readonly t: 'stats' }
  | { readonly t: 'token'; readonly id: number; readonly token?: string; readonly error?: PostedError }
  | { readonly t: 'bye' };

/** Host → tab. */
export type HostMessage =
  | { readonly t: 'state'; readonly state: ConnectionState; readonly error?: PostedError }
  | { readonly t: 'event'; readonly type: string; readonly data: unknown; readonly meta: EventMeta }
  | { readonly t: 'life'; readonly event: string; readonly payload: unknown }
  | { readonly t: 'sub'; readonly sid: number; readonly state: SubscriptionState; readonly error?: PostedError }
  | { readonly t: 'stats'; readonly stats: ClientStats }
  | { readonly t: 'token'; readonly id: number; readonly reason: 'connect' | 'refresh' }
  /** The host stopped (leader resigned, worker closing): wait for the next one. */
  | { readonly t: 'gone'; readonly host?: string };

/**
 * The part of MessagePort and BroadcastChannel the share code uses: both have exactly this
 * shape, so the host and the proxy do not care which one carries them.
 * @category Sharing
 */
export interface PortLike {
  /** Sends a structured-cloneable message to the other side. */
  postMessage(message: unknown): void;
  /** Receives the other side's messages (setting it starts a MessagePort). */
  onmessage: ((event: MessageEvent) => void) | null;
  /** Ends this side. */
  close(): void;
}

export function postError(error: DashwireError | undefined): PostedError | undefined {
  if (!error) return undefined;
  return { code: error.code, message: error.message, details: { ...error.details } };
}

export function readError(posted: PostedError | undefined): DashwireError | undefined {
  return posted ? new DashwireError(posted.code, posted.message, { details: posted.details }) : undefined;
}

/** Posts, reporting instead of throwing when a payload cannot be cloned or the port is gone. */
export function safePost(port: PortLike, message: HostMessage | TabMessage): boolean {
  try {
    port.postMessage(message);
    return true;
  } catch {
    return false;
  }
}
