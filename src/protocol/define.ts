import { assertNoReservedNames, type EventCatalog, type RejectReserved } from '../events.js';
import type { Protocol } from './types.js';

/**
 * Declares a protocol for a server dashwire has no preset for. Checks the catalogue
 * for reserved names (at compile time and run time) and keeps its exact types,
 * so handlers are typed from its schemas.
 * @category Protocol
 */
export function defineProtocol<const E extends EventCatalog>(
  protocol: Protocol<E> & { readonly events: E & RejectReserved<E> },
): Protocol<E> {
  assertNoReservedNames(protocol.events);
  return protocol;
}
