import { maxTimerMs, unrefTimer } from '../timers.js';
import { livenessDefaults } from './liveness.js';
import { Reports } from './reports.js';

/**
 * A timer firing this much later than it was due means the event loop itself was stalled
 * (frozen tab, machine asleep, a handler blocking the thread), in ms.
 */
const stallToleranceMs = 1_000;

/** What a {@link Heartbeat} is made with besides its timing. */
export interface HeartbeatSetup {
  /** Whether the protocol has a ping frame; without one the heartbeat is an idle watchdog only. */
  readonly canPing: boolean;
  /** Whether the page is hidden (background tab): timeouts are relaxed then. */
  readonly isHidden: () => boolean;
}

/** What a heartbeat reports to its socket. */
export type HeartbeatReports = {
  /** Send one ping now. */
  ping: () => void;
  /** The connection is dead: nothing arrived within the allowed time. */
  dead: (silentForMs: number) => void;
};

/** Heartbeat timing after defaults. */
export interface HeartbeatTiming {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly hiddenTimeoutMs: number;
  /**
   * Hook (#16): a tick this late (`livenessDefaults.wakeAfterMs`) means the page or machine
   * slept; the link is verified at once, dead unless a frame arrives within this many ms.
   * Unset: late ticks only earn the stall re-probe below.
   */
  readonly wakeTimeoutMs?: number;
}

/** One connection's liveness watch (see {@link createHeartbeat}). */
export interface Heartbeat extends Pick<Reports<HeartbeatReports>, 'on'> {
  /** Starts watching; call when the connection opens. */
  start(): void;
  /** Stops all timers; call when the connection closes. */
  stop(): void;
  /** Records that a frame arrived. Cheap: called for every frame. */
  frame(): void;
  /** The server's own heartbeat interval (native `welcome.heartbeatMs`) replaces ours. */
  setInterval(intervalMs: number): void;
  /**
   * Probes now and declares the connection dead unless a frame arrives within `timeoutMs`
   * (after `visibilitychange`, `pageshow`, `online`: the page may have slept).
   */
  check(timeoutMs: number): void;
}

/**
 * Finds dead connections. Any inbound frame proves liveness. After `intervalMs` of quiet,
 * a ping goes out; if nothing at all arrives within `timeoutMs` after it, the connection
 * is dead. Without a ping frame, quiet beyond interval + timeout is death (idle watchdog).
 *
 * Time is read from the wall clock (Date.now) on every tick, never counted in ticks:
 * a background tab's throttled timers fire late, and counting them raises false
 * timeouts; the wall clock also sees a machine that slept. A ping is only judged
 * after it was really sent, so a late tick sends a probe instead of declaring death.
 */
export function createHeartbeat(timing: HeartbeatTiming, options: HeartbeatSetup): Heartbeat {
  const reports = new Reports<HeartbeatReports>();
  /** Sends a ping through the owner; false when the protocol has none. */
  const sendPing = (): boolean => {
    if (!options.canPing) return false;
    reports.emit('ping');
    return true;
  };
  /** Ours until the server announces its own (setInterval). */
  let intervalMs = timing.intervalMs;
  /**
   * Wall-clock time of the first frame since the last tick (or of start()). Reading the clock
   * costs ~60 ns, a measurable share of a frame at 100k+ msg/s, so frames after the first only
   * set no timestamp: quiet is then counted from an earlier frame, which can make a ping go
   * out sooner than `intervalMs` after the very last frame, never later.
   */
  let lastFrameAt = 0;
  /** A frame arrived (and stamped `lastFrameAt`) since the last tick. */
  let stamped = false;
  let pingSentAt: number | undefined;
  let probeTimeoutMs: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Wall-clock time the pending timer was due. */
  let dueAt = 0;
  /** A late timer already earned the current ping one more chance. */
  let reprobed = false;
  let running = false;

  function stop(): void {
    running = false;
    clearTimeout(timer);
    timer = undefined;
  }

  function currentTimeout(): number {
    if (probeTimeoutMs !== undefined) return probeTimeoutMs;
    return options.isHidden() ? timing.hiddenTimeoutMs : timing.timeoutMs;
  }

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    if (!running || intervalMs <= 0) return;
    // Clamped: an overflowing delay (a server announcing heartbeatMs: 1e308) would fire at
    // once, again and again, instead of never.
    const delay = Math.min(maxTimerMs, Math.max(0, delayMs));
    dueAt = Date.now() + delay;
    timer = setTimeout(tick, delay);
    unrefTimer(timer);
  }

  function tick(): void {
    if (!running) return;
    const now = Date.now();
    stamped = false;
    if (woke(now)) return;
    const timeoutMs = currentTimeout();
    if (pingSentAt !== undefined) {
      const deadline = pingSentAt + timeoutMs;
      if (now >= deadline && !reprobed && now - dueAt > stallToleranceMs) {
        // This timer fired late, so the loop was stalled: the answer to our ping may be
        // waiting in the socket behind this very timer (Node runs expired timers before
        // reading sockets). Probe once more instead of killing a live connection.
        reprobed = true;
        if (sendPing()) {
          pingSentAt = now;
          return schedule(timeoutMs);
        }
      }
      if (now >= deadline) return die(now);
      return schedule(deadline - now);
    }
    const quietMs = now - lastFrameAt;
    if (quietMs < intervalMs) return schedule(intervalMs - quietMs);
    if (sendPing()) {
      pingSentAt = now;
      return schedule(timeoutMs);
    }
    const deadline = lastFrameAt + intervalMs + timeoutMs;
    if (now >= deadline && !reprobed && now - dueAt > stallToleranceMs) {
      // Late timer, no ping to send: give frames queued behind it a moment to arrive.
      reprobed = true;
      return schedule(stallToleranceMs);
    }
    if (now >= deadline) return die(now);
    schedule(deadline - now);
  }

  /** A tick far later than due: the page slept. Verify now with the short deadline (once per frame). */
  function woke(now: number): boolean {
    const wakeTimeoutMs = timing.wakeTimeoutMs;
    if (wakeTimeoutMs === undefined || reprobed || now - dueAt < livenessDefaults.wakeAfterMs) return false;
    reprobed = true;
    if (!sendPing()) return false;
    pingSentAt = now;
    probeTimeoutMs = wakeTimeoutMs;
    schedule(wakeTimeoutMs);
    return true;
  }

  function die(now: number): void {
    stop();
    reports.emit('dead', now - lastFrameAt);
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    start() {
      running = true;
      reprobed = false;
      lastFrameAt = Date.now();
      stamped = false;
      pingSentAt = undefined;
      schedule(intervalMs);
    },
    stop,
    frame() {
      if (!stamped) {
        stamped = true;
        lastFrameAt = Date.now();
      }
      reprobed = false;
      if (pingSentAt !== undefined) {
        // The answer (or any frame) to our ping: the next ping is due `intervalMs` after it, not
        // when the ping's timeout would have expired. Waiting for the old timer made a server
        // `heartbeatMs` below `timeoutMs` (1000 vs 3000) find a silent link after ~2 × timeout.
        // Once per ping, so the per-frame cost stays a flag check.
        pingSentAt = undefined;
        probeTimeoutMs = undefined;
        if (running) schedule(lastFrameAt + intervalMs - Date.now());
      }
    },
    setInterval(ms) {
      intervalMs = ms;
      if (running && pingSentAt === undefined) schedule(0);
    },
    check(timeoutMs) {
      if (!running || intervalMs <= 0) return;
      if (sendPing()) {
        pingSentAt = Date.now();
        probeTimeoutMs = timeoutMs;
        schedule(timeoutMs);
      } else {
        tick();
      }
    },
  };
}
