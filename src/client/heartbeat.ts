import { maxTimerMs, unrefTimer } from '../timers.js';

/**
 * A timer firing this much later than it was due means the event loop itself was stalled
 * (frozen tab, machine asleep, a handler blocking the thread), in ms.
 */
const stallToleranceMs = 1_000;

/** What a {@link Heartbeat} needs from its connection. */
export interface HeartbeatHooks {
  /** Sends one ping; returns false when the protocol has no ping (idle watchdog only). */
  sendPing(): boolean;
  /** The connection is dead: nothing arrived within the allowed time. */
  onDead(silentForMs: number): void;
  /** Whether the page is hidden (background tab): timeouts are relaxed then. */
  isHidden(): boolean;
}

/** Heartbeat timing after defaults. */
export interface HeartbeatTiming {
  intervalMs: number;
  timeoutMs: number;
  hiddenTimeoutMs: number;
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
export class Heartbeat {
  /**
   * Wall-clock time of the first frame since the last tick (or of start()). Reading the clock
   * costs ~60 ns, a measurable share of a frame at 100k+ msg/s, so frames after the first only
   * set no timestamp: quiet is then counted from an earlier frame, which can make a ping go
   * out sooner than `intervalMs` after the very last frame, never later.
   */
  private lastFrameAt = 0;
  /** A frame arrived (and stamped `lastFrameAt`) since the last tick. */
  private stamped = false;
  private pingSentAt: number | undefined;
  private probeTimeoutMs: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Wall-clock time the pending timer was due. */
  private dueAt = 0;
  /** A late timer already earned the current ping one more chance. */
  private reprobed = false;
  private running = false;

  constructor(
    private readonly timing: HeartbeatTiming,
    private readonly hooks: HeartbeatHooks,
  ) {}

  /** Starts watching; call when the connection opens. */
  start(): void {
    this.running = true;
    this.reprobed = false;
    this.lastFrameAt = Date.now();
    this.stamped = false;
    this.pingSentAt = undefined;
    this.schedule(this.timing.intervalMs);
  }

  /** Stops all timers; call when the connection closes. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Records that a frame arrived. Cheap: called for every frame. */
  frame(): void {
    if (!this.stamped) {
      this.stamped = true;
      this.lastFrameAt = Date.now();
    }
    this.reprobed = false;
    if (this.pingSentAt !== undefined) {
      this.pingSentAt = undefined;
      this.probeTimeoutMs = undefined;
    }
  }

  /** The server's own heartbeat interval (native `welcome.heartbeatMs`) replaces ours. */
  setInterval(intervalMs: number): void {
    this.timing.intervalMs = intervalMs;
    if (this.running && this.pingSentAt === undefined) this.schedule(0);
  }

  /**
   * Probes now and declares the connection dead unless a frame arrives within `timeoutMs`
   * (after `visibilitychange`, `pageshow`, `online`: the page may have slept).
   */
  check(timeoutMs: number): void {
    if (!this.running || this.timing.intervalMs <= 0) return;
    if (this.hooks.sendPing()) {
      this.pingSentAt = Date.now();
      this.probeTimeoutMs = timeoutMs;
      this.schedule(timeoutMs);
    } else {
      this.tick();
    }
  }

  private currentTimeout(): number {
    if (this.probeTimeoutMs !== undefined) return this.probeTimeoutMs;
    return this.hooks.isHidden() ? this.timing.hiddenTimeoutMs : this.timing.timeoutMs;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (!this.running || this.timing.intervalMs <= 0) return;
    // Clamped: an overflowing delay (a server announcing heartbeatMs: 1e308) would fire at
    // once, again and again, instead of never.
    const delay = Math.min(maxTimerMs, Math.max(0, delayMs));
    this.dueAt = Date.now() + delay;
    this.timer = setTimeout(() => this.tick(), delay);
    unrefTimer(this.timer);
  }

  private tick(): void {
    if (!this.running) return;
    const now = Date.now();
    this.stamped = false;
    const { intervalMs } = this.timing;
    const timeoutMs = this.currentTimeout();
    if (this.pingSentAt !== undefined) {
      const deadline = this.pingSentAt + timeoutMs;
      if (now >= deadline && !this.reprobed && now - this.dueAt > stallToleranceMs) {
        // This timer fired late, so the loop was stalled: the answer to our ping may be
        // waiting in the socket behind this very timer (Node runs expired timers before
        // reading sockets). Probe once more instead of killing a live connection.
        this.reprobed = true;
        if (this.hooks.sendPing()) {
          this.pingSentAt = now;
          return this.schedule(timeoutMs);
        }
      }
      if (now >= deadline) return this.die(now);
      return this.schedule(deadline - now);
    }
    const quietMs = now - this.lastFrameAt;
    if (quietMs < intervalMs) return this.schedule(intervalMs - quietMs);
    if (this.hooks.sendPing()) {
      this.pingSentAt = now;
      return this.schedule(timeoutMs);
    }
    const deadline = this.lastFrameAt + intervalMs + timeoutMs;
    if (now >= deadline && !this.reprobed && now - this.dueAt > stallToleranceMs) {
      // Late timer, no ping to send: give frames queued behind it a moment to arrive.
      this.reprobed = true;
      return this.schedule(stallToleranceMs);
    }
    if (now >= deadline) return this.die(now);
    this.schedule(deadline - now);
  }

  private die(now: number): void {
    this.stop();
    this.hooks.onDead(now - this.lastFrameAt);
  }
}
