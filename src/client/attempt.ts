import { DashwireError } from '../errors.js';
import type { PollCodec } from '../protocol/poll-codec.js';
import type { Inbound, PollChannel, Protocol } from '../protocol/types.js';
import type { CloseInfo, Connection as Socket, ConnectionHandlers, Transport } from '../transport/types.js';
import type { FrameSink } from './connection-types.js';
import { decodeBody, decodeFrame } from './decode.js';
import { createHeartbeat, type Heartbeat, type HeartbeatTiming } from './heartbeat.js';
import { Reports } from './reports.js';
import { Session } from './session.js';
import { TimerSet } from './timer-set.js';

/** What one attempt is made with. */
export interface AttemptOptions {
  readonly url: string;
  readonly token: string | undefined;
  readonly protocol: Protocol;
  /** Already wrapped by `deferSyncCallbacks`. */
  readonly transport: Transport;
  readonly connectTimeoutMs: number;
  readonly heartbeat: HeartbeatTiming | false;
  readonly fixedInterval: boolean;
  readonly isHidden: () => boolean;
  readonly maxMessageBytes: number;
  /** Where the frame's items that are not control frames go (the receive path). */
  readonly deliver: FrameSink;
  readonly channels: () => readonly PollChannel[];
  /** Polling: makes the codec of one polling socket for its base URL (the fallback brings it). */
  readonly poll: ((baseUrl: string) => PollCodec) | undefined;
  readonly probe: { readonly silenceMs: number } | undefined;
}

/** What one attempt reports to its connection. */
export type AttemptReports = {
  /** The socket opened (not reported in probe mode, which waits for a frame instead). */
  open: () => void;
  /** The first frame arrived: the server talks (the connection resets its failure count). */
  firstFrame: () => void;
  rtt: (ms: number) => void;
  /** The server refused the credentials in an error frame. */
  refused: (error: DashwireError) => void;
  /** The attempt ended by itself: socket closed, handshake timed out, heartbeat or probe silent. */
  ended: (error: DashwireError, info: CloseInfo) => void;
};

/** One socket's life (see {@link createAttempt}). */
export interface Attempt extends Pick<Reports<AttemptReports>, 'on'> {
  readonly serverVersion: string | undefined;
  readonly gotFrame: boolean;
  /** Sends a frame if open; false otherwise. */
  send(frame: string): boolean;
  /** Probes now: dead unless a frame arrives within `timeoutMs`. */
  check(timeoutMs: number): void;
  /** The server's retry-after from an error frame, in ms (0 if none). */
  takeRetryAfter(): number;
  refusedByClose(code: number): boolean;
  /** Ends it silently (the connection is done with it); resolves when the socket reported its close. */
  abandon(code: number, reason: string): Promise<void>;
}

let nextPingId = 1;

/**
 * One socket, from `transport.connect` to its close: the connect timeout, the auth frame, the
 * decoding of frames (or poll bodies, with a fresh poll codec), the socket's {@link Session}
 * and heartbeat. It reports once that it ended; a connection abandons it to end it silently,
 * after which nothing of this socket reaches anyone (its reports are detached).
 */
export function createAttempt(options: AttemptOptions): Attempt {
  const { protocol, token } = options;
  const reports = new Reports<AttemptReports>();
  const session = new Session(protocol, options.fixedInterval);
  const timers = new TimerSet<'connect' | 'silence'>();
  const codec = options.poll?.(options.url);
  let phase: 'connecting' | 'open' | 'ended' = 'connecting';
  let heartbeat: Heartbeat | undefined;
  let pendingError: DashwireError | undefined;
  let gotFrame = false;
  let closeWaiters: (() => void)[] = [];
  let socketClosed = false;

  const handlers: ConnectionHandlers = {
    onOpen: () => {
      if (phase !== 'connecting') return;
      timers.stop('connect');
      phase = 'open';
      if (token !== undefined) {
        const auth = protocol.encodeAuth?.(token);
        if (auth) socket.send(auth);
      }
      if (options.probe) {
        const ping = protocol.encodePing(0);
        if (ping) socket.send(ping);
        // A probe that opens but never delivers a frame is a proxy that swallows frames.
        return timers.start('silence', options.probe.silenceMs, () => drop(4000, 'probe silent'));
      }
      startHeartbeat();
      reports.emit('open');
    },
    onMessage: (frame, source) => {
      if (phase !== 'open') return;
      const max = options.maxMessageBytes;
      const { items, raw } = codec
        ? decodeBody((body) => codec.decode(body, source), frame, max)
        : decodeFrame(protocol, frame, max);
      received(items, raw);
    },
    onError: (error) => {
      if (phase !== 'ended') pendingError = error;
    },
    onClose: (info) => {
      socketClosed = true;
      const waiters = closeWaiters;
      closeWaiters = [];
      for (const resolve of waiters) resolve();
      end(info);
    },
  };

  const socket: Socket = options.transport.connect({
    url: options.url,
    handlers,
    ...(token === undefined ? {} : { token }),
    ...(codec ? { poll: () => codec.plan(options.channels()) } : {}),
  });
  timers.start('connect', options.connectTimeoutMs, () => {
    if (phase !== 'connecting') return;
    const timeoutMs = options.connectTimeoutMs;
    pendingError = new DashwireError('connect_timeout', `No handshake within ${timeoutMs} ms`, {
      details: { timeoutMs },
    });
    drop(4000, 'connect timeout');
  });

  /** Every frame of the open socket: proves liveness, control items go to the session, the rest up. */
  function received(items: readonly Inbound[], raw: string): void {
    heartbeat?.frame();
    if (!gotFrame) {
      gotFrame = true;
      reports.emit('firstFrame');
    }
    const passed: Inbound[] = [];
    let refused: DashwireError | undefined;
    for (const item of items) {
      const outcome = session.control(item);
      if (outcome.kind === 'pass') passed.push(item);
      else if (outcome.kind === 'heartbeat') heartbeat?.setInterval(outcome.intervalMs);
      else if (outcome.kind === 'rtt') reports.emit('rtt', outcome.ms);
      else if (outcome.kind === 'refused') refused ??= outcome.error;
    }
    // Delivered even when empty: a frame of control items only still counts as a frame received.
    options.deliver(passed, raw, items.length - passed.length);
    if (refused) reports.emit('refused', refused);
  }

  function startHeartbeat(): void {
    const timing = options.heartbeat;
    if (!timing || timing.intervalMs <= 0) return;
    const beat = createHeartbeat(timing, { canPing: protocol.encodePing(0) !== null, isHidden: options.isHidden });
    beat.on('ping', () => {
      const id = nextPingId++;
      const frame = protocol.encodePing(id);
      if (!frame || phase !== 'open') return;
      session.pingSent(id);
      socket.send(frame);
    });
    beat.on('dead', (silentForMs) => {
      pendingError = new DashwireError(
        'heartbeat_timeout',
        `No frame for ${silentForMs} ms: connection presumed dead`,
        { details: { silentForMs } },
      );
      // Terminate rather than wait for a close handshake the dead peer will never answer.
      drop(4000, 'heartbeat timeout');
    });
    heartbeat = beat;
    heartbeat.start();
  }

  /** Ends the socket as failed now (the transport reports its close asynchronously). */
  function drop(code: number, reason: string): void {
    if (phase === 'ended') return;
    socket.close(code, reason);
    end({ code, reason, wasClean: false });
  }

  function end(info: CloseInfo): void {
    if (phase === 'ended') return;
    const wasOpen = phase === 'open';
    phase = 'ended';
    heartbeat?.stop();
    timers.clear();
    const error =
      pendingError ??
      new DashwireError(
        wasOpen ? 'connection_lost' : 'connect_failed',
        wasOpen ? 'Connection lost' : 'Could not connect',
        {
          details: { code: info.code, reason: info.reason },
        },
      );
    reports.emit('ended', error, info);
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    get serverVersion() {
      return session.version;
    },
    get gotFrame() {
      return gotFrame;
    },
    send(frame) {
      if (phase !== 'open') return false;
      socket.send(frame);
      return true;
    },
    check(timeoutMs) {
      heartbeat?.check(timeoutMs);
    },
    takeRetryAfter: () => session.takeRetryAfter(),
    refusedByClose: (code) => session.refusedByClose(code),
    abandon(code, reason) {
      reports.clear();
      const closed = socketClosed ? Promise.resolve() : new Promise<void>((resolve) => closeWaiters.push(resolve));
      if (phase !== 'ended') {
        phase = 'ended';
        heartbeat?.stop();
        timers.clear();
      }
      socket.close(code, reason);
      return closed;
    },
  };
}
