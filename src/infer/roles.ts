/**
 * The role of a message type in the generated decode (event, welcome, pong or error) and the
 * name it gets in the events catalogue, each with the reason the generated comment gives.
 */
import { reservedEventNames } from '../events.js';
import type { TypeTally } from './type-tally.js';

const pongNames = /^(pong|ping|heartbeat|heartbeat_ack|keepalive|keep_alive|hb)$/i;
const errorNames = /^(error|err|errors|failure|exception|fault)$/i;
const welcomeNames = /^(welcome|connected|connection|hello|ready|init|session|connection_ack)$/i;

/** How a message type is handled by the generated decode. */
export type TypeRole = 'event' | 'welcome' | 'pong' | 'error';

/**
 * A type's role: by its name, else `welcome` when it came first and once on every one of
 * at least two connections (`connections` in the recording), else `event`.
 */
export function roleOf(type: string, a: TypeTally, connections: number): { role: TypeRole; reason: string } {
  if (errorNames.test(type)) return { role: 'error', reason: 'named like an error' };
  if (pongNames.test(type)) return { role: 'pong', reason: 'named like a heartbeat reply' };
  const oncePerConn = [...a.perConn.values()].every((n) => n === 1);
  if (oncePerConn && welcomeNames.test(type))
    return {
      role: 'welcome',
      reason:
        a.conns.size === 1
          ? 'named like a welcome, once'
          : `named like a welcome, once on each of ${a.conns.size} connections`,
    };
  if (oncePerConn && a.firstOn === a.conns.size && a.conns.size >= 2 && a.conns.size === connections) {
    return { role: 'welcome', reason: `first frame, once, on all ${connections} connections` };
  }
  return { role: 'event', reason: '' };
}

/** The catalogue name of a type: `<type>_message` for reserved event names, unless it is an error frame. */
export function eventNameOf(type: string, role: TypeRole): string {
  // Names of Object.prototype members (`constructor`, `__proto__`…) break catalogue and `keys` literals.
  return ((reservedEventNames as readonly string[]).includes(type) || type in Object.prototype) && role !== 'error'
    ? `${type}_message`
    : type;
}
