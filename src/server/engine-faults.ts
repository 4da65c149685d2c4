import type { FeedClient } from './dialect.js';
import type { OutboxFaults } from './outbox.js';

/** Faults the engine can inject, whatever carries its connections. @category Mock server */
export interface EngineFaults {
  /** Drops every connection at once, without close frames (1006 on the client). */
  dropAll(): void;
  /** Refuses new connections for `ms`; adapters ask {@link FeedEngine.isRefusing}. */
  refuse(ms: number): void;
  /**
   * Half-open connections: while on, nothing leaves the server (no pongs, no events, no acks)
   * and client frames are logged but not answered. Events still get seqs and are buffered.
   */
  silence(on?: boolean): void;
  /** Sends arbitrary text (malformed JSON, a frame of another protocol…) to every client. */
  sendRaw(frame: string): void;
  /** Delays every outgoing frame by `ms` from now on (0 stops), keeping each client's order. */
  delay(ms: number): void;
}

/** What the faults switch on and off: read by the engine and, at every frame, by each outbox. */
export interface FaultSwitches extends OutboxFaults {
  silenced: boolean;
  delayMs: number;
  /** New connections are refused until this unix ms. */
  refusingUntil: number;
}

/** The faults of one engine, over its connected clients and its switches. */
export function createEngineFaults(
  clients: () => Iterable<FeedClient>,
  switches: FaultSwitches,
  now: () => number,
): EngineFaults {
  return {
    dropAll() {
      for (const client of [...clients()]) client.terminate();
    },
    refuse(ms) {
      switches.refusingUntil = Math.max(switches.refusingUntil, now() + ms);
    },
    silence(on = true) {
      switches.silenced = on;
    },
    sendRaw(frame) {
      for (const client of clients()) client.send(frame);
    },
    delay(ms) {
      switches.delayMs = Math.max(0, ms);
    },
  };
}
