import type { $ZodType, output } from 'zod/v4/core';

/**
 * A message catalogue: one zod schema per message type the server sends.
 * Works with schemas from `zod` and `zod/mini` alike.
 * @category Events
 */
export type EventCatalog = { readonly [type: string]: $ZodType };

/**
 * Names the client uses for its own lifecycle events; a catalogue may not declare them.
 * @category Events
 */
export type ReservedEventName =
  'state' | 'invalid' | 'unknown' | 'error' | 'gap' | 'snapshot' | 'resynced' | 'stale' | 'fresh';

/** The reserved names as a runtime list. @category Events */
export const reservedEventNames: readonly ReservedEventName[] = [
  'state',
  'invalid',
  'unknown',
  'error',
  'gap',
  'snapshot',
  'resynced',
  'stale',
  'fresh',
];

/** Message type names of a catalogue. @category Events */
export type EventName<E extends EventCatalog> = Extract<keyof E, string>;

/** The validated payload type of message `K` (the zod schema's output). @category Events */
export type EventPayload<E extends EventCatalog, K extends keyof E> = output<E[K]>;

/** Maps each reserved name that a catalogue declares to a readable compile error. @category Events */
export type RejectReserved<E> = {
  [K in keyof E]: K extends ReservedEventName ? `"${K}" is reserved for dashwire's lifecycle events` : E[K];
};

/**
 * Declares a message catalogue. Rejects reserved names at compile time and
 * at run time, and returns the catalogue with its exact types for inference.
 *
 * ```ts
 * const events = defineEvents({ price_update: z.object({ asset: z.string(), price: z.string() }) });
 * ```
 * @category Events
 */
export function defineEvents<const E extends EventCatalog>(events: E & RejectReserved<E>): E {
  assertNoReservedNames(events);
  return events;
}

/** Throws at definition time (not at run time of a feed) when a catalogue uses a reserved name. */
export function assertNoReservedNames(events: EventCatalog): void {
  for (const name of reservedEventNames) {
    if (Object.prototype.hasOwnProperty.call(events, name)) {
      throw new TypeError(`dashwire: "${name}" is reserved for lifecycle events and cannot be a message type`);
    }
  }
}

/** Type-only key under which a catalogue's type carries its protocol's channel names. */
declare const channelsKey: unique symbol;

/**
 * A catalogue type that also names the channels its protocol declares, so that
 * `client.subscribe('pricez')` is a compile error. Type-only: nothing is added at run time.
 * `DashboardEvents` and every preset's catalogue type are declared this way.
 * @category Events
 */
export type WithChannels<E extends EventCatalog, C extends string> = E & { readonly [channelsKey]?: C };

/** The channel names a catalogue's protocol declares; `string` when it declares none. @category Events */
export type ChannelName<E> = E extends { readonly [channelsKey]?: infer C extends string }
  ? string extends C
    ? string
    : C
  : string;

/**
 * What `subscribe()` accepts as a channel: one of the protocol's declared channels when it is
 * written as a literal (a typo is a compile error), or any value typed plain `string` — the
 * escape hatch for channel names computed at run time (`subscribe(name as string)`).
 * @category Events
 */
export type ChannelArg<E, C extends string> = string extends C ? C : C extends ChannelName<E> ? C : ChannelName<E>;
