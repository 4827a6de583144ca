/**
 * Adaptive send-rate limit for ONE API operation (client × command), applied to every attempt
 * (the SDK's retries included). AWS throttles per API, so one operation's limit must not slow the
 * others on the same client — which the SDK's own adaptive mode does (one limiter per client).
 *
 * Unlimited until the first throttling answer; then the rate is set to what the API actually
 * admitted over the last second (a throttled API lets through exactly its allowed rate), a little
 * under it, and raised a little every second the operation has demand and no throttle, so a
 * higher allowance is found again. Sends are paced one at a time (no bursts), in FIFO order.
 */

/** Throttles within this long of a cut are answers to requests sent before it: ignored. */
const CUT_COOLDOWN_MS = 500;
/** Window over which admitted requests are counted. */
const WINDOW_MS = 1_000;
const SLOTS = 10;
const SLOT_MS = WINDOW_MS / SLOTS;
/** A cut sets the rate to this share of the admitted rate. */
const CUT_FACTOR = 0.95;
/** Raise per second of demand without a throttle: ×PROBE_FACTOR + PROBE_ADD requests/s. */
const PROBE_FACTOR = 1.05;
const PROBE_ADD = 1;
export const MIN_RATE = 0.5;

export class OperationRateLimit {
  /** Requests per second; Infinity until the first throttle. */
  rate = Infinity;
  throttles = 0;
  private nextAt = 0;
  private lastCut = -Infinity;
  private lastRaise = 0;
  private demand = false;
  /** Successes per SLOT_MS slot, ring over the last WINDOW_MS. */
  private readonly slots = new Array<number>(SLOTS).fill(0);
  private slotAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Resolves when this attempt may be sent; undefined (no wait) when it may go now. */
  acquire(): Promise<void> | undefined {
    if (this.rate === Infinity) return undefined;
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.rate;
    if (at <= now) return undefined;
    this.demand = true;
    return new Promise((resolve) => setTimeout(resolve, at - now));
  }

  /** Admitted (any answer but a throttle). */
  onAdmitted(): void {
    const now = this.now();
    this.advance(now);
    this.slots[Math.floor(now / SLOT_MS) % SLOTS]! += 1;
    if (this.rate !== Infinity && now - this.lastRaise >= WINDOW_MS) {
      if (this.demand && now - this.lastCut >= WINDOW_MS)
        this.rate = this.rate * PROBE_FACTOR + PROBE_ADD;
      this.lastRaise = now;
      this.demand = false;
    }
  }

  onThrottled(): void {
    const now = this.now();
    this.throttles += 1;
    if (now - this.lastCut < CUT_COOLDOWN_MS) return;
    this.advance(now);
    const admitted = this.slots.reduce((a, b) => a + b, 0) * (1000 / WINDOW_MS);
    this.rate = Math.max(MIN_RATE, Math.min(this.rate, admitted) * CUT_FACTOR);
    this.lastCut = now;
    this.lastRaise = now;
    // the next send waits at least one interval at the new rate
    this.nextAt = Math.max(this.nextAt, now + 1000 / this.rate);
  }

  /** Clears the slots that fell out of the window since the last call. */
  private advance(now: number): void {
    const slot = Math.floor(now / SLOT_MS);
    const last = Math.floor(this.slotAt / SLOT_MS);
    for (let s = Math.max(last + 1, slot - SLOTS + 1); s <= slot; s += 1) this.slots[s % SLOTS] = 0;
    this.slotAt = now;
  }
}
