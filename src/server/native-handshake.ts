import { isRecord, parseJson } from '../protocol/json.js';
import { unrefTimer } from '../timers.js';
import type { DialectHost, FeedClient } from './dialect.js';
import { sendError, sendJson } from './native-frames.js';

/** Close code sent after refusing credentials (the native client treats it as an auth failure). @category Mock server */
export const unauthorizedCloseCode = 4001;

/** The protocol version this server speaks (`welcome.version`, docs/protocol.md §11). @category Mock server */
export const nativeProtocolVersion = '1.1';

/**
 * Where a connection is in its handshake: waiting for its auth frame (with a deadline), waiting
 * for an async auth check (holding the frames pipelined behind the auth frame), or welcomed.
 * A connection with no phase was refused: its close is on its way.
 */
type Phase =
  | { readonly name: 'auth'; readonly timer: ReturnType<typeof setTimeout> }
  | { readonly name: 'authorizing'; readonly pending: string[] }
  | { readonly name: 'open' };

/** The native handshake of every connection: welcome at once, or after an accepted `auth` frame. */
export interface NativeHandshake {
  /** A connection opened: welcomes it, or (when the server requires auth) waits for its `auth` frame. */
  open(client: FeedClient, host: DialectHost): void;
  /** One client frame: handled once the connection is welcomed, held or dropped until then. */
  message(client: FeedClient, frame: string, host: DialectHost): void;
  /** The connection is gone: stops its auth deadline. */
  closed(client: FeedClient): void;
}

function sessionId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return crypto?.randomUUID?.() ?? `s-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/**
 * Creates the handshake. `handle` takes every frame of a welcomed connection, including those
 * held while an async auth check ran (in their order, right after the welcome).
 * @param authTimeoutMs How long a connection may take to send its `auth` frame, in ms.
 */
export function createNativeHandshake(
  authTimeoutMs: number,
  handle: (client: FeedClient, frame: string, host: DialectHost) => void,
): NativeHandshake {
  const phases = new WeakMap<FeedClient, Phase>();

  const welcome = (client: FeedClient, host: DialectHost): void => {
    phases.set(client, { name: 'open' });
    sendJson(client, {
      op: 'welcome',
      session: sessionId(),
      version: nativeProtocolVersion,
      heartbeatMs: host.heartbeatMs,
    });
  };

  const stopDeadline = (client: FeedClient): void => {
    const phase = phases.get(client);
    if (phase?.name === 'auth') clearTimeout(phase.timer);
  };

  const refuse = (client: FeedClient, message: string): void => {
    stopDeadline(client);
    phases.delete(client);
    sendError(client, 'unauthorized', message);
    client.close(unauthorizedCloseCode, 'unauthorized');
  };

  const authenticate = (client: FeedClient, frame: string, host: DialectHost): void => {
    const msg = parseJson(frame);
    const check = host.auth;
    if (!check || !isRecord(msg) || msg.op !== 'auth' || typeof msg.token !== 'string') {
      refuse(client, 'the first frame must be {"op":"auth","token":"…"}');
      return;
    }
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = check(msg.token);
    } catch {
      verdict = false;
    }
    stopDeadline(client);
    if (typeof verdict === 'boolean') {
      if (verdict) welcome(client, host);
      else refuse(client, 'token refused');
      return;
    }
    // Clients may pipeline subscribes behind the auth frame; hold them until the verdict.
    const phase: Phase = { name: 'authorizing', pending: [] };
    phases.set(client, phase);
    verdict.then(
      (ok) => settle(client, host, phase, ok),
      () => settle(client, host, phase, false),
    );
  };

  const settle = (client: FeedClient, host: DialectHost, phase: Phase, ok: boolean): void => {
    if (phases.get(client) !== phase || phase.name !== 'authorizing') return; // closed meanwhile
    if (!ok) {
      refuse(client, 'token refused');
      return;
    }
    welcome(client, host);
    for (const frame of phase.pending) handle(client, frame, host);
  };

  return {
    open(client, host) {
      if (!host.auth) return welcome(client, host);
      // A connection that never authenticates must not hold a socket (and a slot) forever.
      const timer = setTimeout(() => {
        if (phases.get(client)?.name === 'auth') refuse(client, `no auth frame within ${authTimeoutMs} ms`);
      }, authTimeoutMs);
      unrefTimer(timer);
      phases.set(client, { name: 'auth', timer });
    },
    message(client, frame, host) {
      const phase = phases.get(client);
      if (!phase) return; // refused: the close is on its way
      if (phase.name === 'auth') return authenticate(client, frame, host);
      if (phase.name === 'authorizing') {
        phase.pending.push(frame);
        return;
      }
      handle(client, frame, host);
    },
    closed(client) {
      stopDeadline(client);
      phases.delete(client);
    },
  };
}
