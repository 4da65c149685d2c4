import type { FeedEvent } from './dialect.js';
import type { FeedOptions } from './engine-options.js';
import type { ClientInfo, FeedEngine, ReceivedFrame } from './engine.js';

/**
 * The control surface every mock server shares (`ws`, mock-socket, in-memory), so a test
 * written against one reads the same against another.
 * @category Mock server
 */
export interface FeedControls {
  /** The engine underneath, for anything the surface does not cover. */
  readonly engine: FeedEngine;
  /** Dialect name: `native`, … */
  readonly protocol: string;
  /** Numbers, buffers and delivers an event to the clients that receive it. */
  publish(channel: string, type: string, data: unknown): FeedEvent;
  /** Sends a frame to every client as is (objects are JSON-encoded). */
  broadcast(frame: string | object): void;
  /** Frames received from clients, oldest first. */
  readonly received: readonly ReceivedFrame[];
  /** Empties `received`. */
  clearReceived(): void;
  /** Number of connected clients. */
  readonly clients: number;
  /** The connected clients, with their subscriptions. */
  listClients(): ClientInfo[];
  /** Last seq published on a channel, 0 if none. */
  lastSeq(channel: string): number;
  /** Starts, re-rates or (with `false`) stops the synthetic feed. */
  setFeed(options: FeedOptions | false): void;
}

/** Builds the shared surface over an engine and merges an adapter's own members (getters kept). @category Mock server */
export function bindControls<T extends object>(engine: FeedEngine, extra: T): FeedControls & T {
  const controls: FeedControls = {
    engine,
    protocol: engine.dialect.name,
    publish: (channel, type, data) => engine.publish(channel, type, data),
    broadcast: (frame) => engine.broadcast(frame),
    get received() {
      return engine.received;
    },
    clearReceived: () => engine.clearReceived(),
    get clients() {
      return engine.clientCount;
    },
    listClients: () => engine.clients(),
    lastSeq: (channel) => engine.lastSeq(channel),
    setFeed: (options) => engine.setFeed(options),
  };
  return Object.defineProperties(controls, Object.getOwnPropertyDescriptors(extra)) as FeedControls & T;
}
