import type { Protocol } from '../protocol/types.js';
import type { Connection } from './connection-types.js';
import type { Receive } from './receive.js';
import type { SubscriptionRegistry, WireSubscription } from './subscriptions.js';

/** What the frames are made with. */
export interface SubscribeFramesOptions {
  readonly protocol: Protocol;
  /** Where acks are awaited. */
  readonly registry: SubscriptionRegistry;
  /** The receive path's cursors, for `since` on resumable protocols. */
  readonly receive: Pick<Receive, 'since'>;
}

/** The subscribe and unsubscribe frames of wire subscriptions (see {@link createSubscribeFrames}). */
export interface SubscribeFrames {
  /**
   * Subscribes `wire` on an open connection: sends its frame (awaiting the ack where the
   * protocol acks), or marks it subscribed where no frame is needed (polling, frameless
   * protocols). `renew`: the wire is live and only re-sent (a server ended it); its state stays.
   */
  subscribe(connection: Connection, wire: WireSubscription, renew?: boolean): void;
  /**
   * Sends `wire`'s unsubscribe frame on an open connection. True when the server, by ending the
   * whole channel on unsubscribe (native 1.0), has just ended the wire's siblings too: the
   * caller subscribes them again (`renew`), so none goes silent.
   */
  unsubscribe(connection: Connection, wire: WireSubscription): boolean;
}

/** Encodes and sends subscribe/unsubscribe frames, numbering them (the ids acks answer). */
export function createSubscribeFrames(options: SubscribeFramesOptions): SubscribeFrames {
  const { protocol, registry } = options;
  let nextId = 1;

  return {
    subscribe(connection, wire, renew = false) {
      if (connection.managesChannels) return wire.setState('subscribed');
      const id = nextId++;
      const { channel, params } = wire;
      const since = protocol.resumable ? options.receive.since(channel) : undefined;
      const frame = protocol.encodeSubscribe(
        since === undefined ? { id, channel, params } : { id, channel, params, since },
      );
      if (frame === null) return wire.setState('subscribed');
      if (wire.state !== 'pending' && !renew) wire.setState('pending');
      if (protocol.acks) registry.awaitAck(wire, id);
      connection.send(frame);
      if (!protocol.acks) wire.setState('subscribed');
    },
    unsubscribe(connection, wire) {
      const frame = protocol.encodeUnsubscribe({ id: nextId++, channel: wire.channel, params: wire.params });
      if (!frame) return false;
      connection.send(frame);
      return protocol.unsubscribeEndsChannel?.(connection.serverVersion) ?? false;
    },
  };
}
