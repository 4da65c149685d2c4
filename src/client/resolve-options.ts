import type { EventCatalog } from '../events.js';
import type { Protocol } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import { resolveWebSocket, webSocketTransport } from '../transport/websocket.js';
import { resolveReconnect } from './backoff.js';
import type { EndpointsOptions, SharedConnectionOptions } from './endpoints-types.js';
import { checkUrls, httpOrigin, pageHidden } from './environment.js';
import type { HeartbeatTiming } from './heartbeat.js';
import { browserOffline } from './liveness.js';
import { clientDefaults, type ClientOptions } from './options.js';
import type { ReceiveOptions } from './receive.js';
import type { SnapshotsOptions } from './snapshot.js';
import { createTokenSource } from './token.js';
import { validationMode, type ValidationMode } from './validate.js';

// From the options the app gives `createClient` to what each unit is made with: defaults
// filled in (clientDefaults), the protocol's heartbeat merged with the user's, URLs checked.
// The units themselves (registry, receive, endpoints…) are added by client.ts, which wires them.

/** What `createClient`'s options resolve to: each unit's settings, without the units it is wired to. */
export interface ClientSettings {
  readonly transport: Transport;
  readonly validation: ValidationMode;
  readonly maxQueue: number;
  readonly unsubscribeDelayMs: number;
  readonly receive: Omit<ReceiveOptions, 'emitter' | 'registry' | 'latest' | 'freshness' | 'heal'>;
  readonly snapshots: Omit<SnapshotsOptions, 'registry' | 'receive' | 'emitter'>;
  readonly endpoints: Omit<EndpointsOptions, 'registry' | 'receive' | 'outbox'>;
}

/** Resolves the options; throws `invalid_url` for a bad URL (or an insecure one with `requireSecure`). */
export function resolveOptions(options: ClientOptions<EventCatalog>, protocol: Protocol): ClientSettings {
  const urls = resolveUrls(options);
  const keys = { ...protocol.keys, ...options.keys };
  const validation = validationMode(options.validation);
  const transport = options.transport ?? webSocketTransport({ WebSocket: options.WebSocket });
  const tokens = createTokenSource(options.auth);
  const probeTimeoutMs = options.probeTimeoutMs ?? clientDefaults.probeTimeoutMs;
  return {
    transport,
    validation,
    maxQueue: options.maxQueue ?? clientDefaults.maxQueue,
    unsubscribeDelayMs: options.unsubscribeDelayMs ?? clientDefaults.unsubscribeDelayMs,
    receive: { protocol, keys, resync: options.resync, resume: options.resume, validation },
    snapshots: {
      protocol: { ...protocol, keys },
      source: options.snapshot,
      baseUrl: options.fallback?.url || httpOrigin(urls[0] ?? ''),
      tokens,
    },
    endpoints: {
      protocol,
      urls,
      transport,
      hasWebSocket: options.transport !== undefined || resolveWebSocket(options.WebSocket) !== undefined,
      connection: connectionSettings(options, protocol, tokens, probeTimeoutMs),
      fallback: options.fallback,
      probeTimeoutMs,
    },
  };
}

/** The URLs to connect to, checked. */
function resolveUrls(options: ClientOptions<EventCatalog>): readonly string[] {
  const urls = options.urls ?? (options.url !== undefined ? [options.url] : []);
  const requireSecure = options.requireSecure ?? false;
  checkUrls(urls, requireSecure, options.transport !== undefined);
  // The polling fallback's URL too: requireSecure must not be bypassed by falling back.
  if (options.fallback?.url !== undefined) checkUrls([options.fallback.url], requireSecure);
  return urls;
}

/** The heartbeat timing after the protocol's defaults and the user's options. */
function heartbeatTiming(
  protocol: Protocol,
  option: ClientOptions<EventCatalog>['heartbeat'],
  probeTimeoutMs: number,
): HeartbeatTiming | false {
  if (option === false) return false;
  const hb = { ...protocol.heartbeat, ...option };
  return {
    intervalMs: hb.intervalMs,
    timeoutMs: hb.timeoutMs,
    hiddenTimeoutMs: hb.hiddenTimeoutMs ?? hb.timeoutMs * clientDefaults.hiddenTimeoutFactor,
    wakeTimeoutMs: probeTimeoutMs,
  };
}

/** The settings every connection of the client shares. */
function connectionSettings(
  options: ClientOptions<EventCatalog>,
  protocol: Protocol,
  tokens: SharedConnectionOptions['tokens'],
  probeTimeoutMs: number,
): SharedConnectionOptions {
  return {
    protocol,
    reconnect: options.reconnect === false ? false : resolveReconnect(options.reconnect),
    connectTimeoutMs: options.connectTimeoutMs ?? clientDefaults.connectTimeoutMs,
    heartbeat: heartbeatTiming(protocol, options.heartbeat, probeTimeoutMs),
    // The server's interval replaces the protocol default, never an interval the user chose.
    fixedInterval: !!(options.heartbeat && options.heartbeat.intervalMs !== undefined),
    tokens,
    random: options.random ?? Math.random,
    isHidden: pageHidden,
    isOffline: browserOffline,
    maxMessageBytes: options.maxMessageBytes ?? clientDefaults.maxMessageBytes,
  };
}
