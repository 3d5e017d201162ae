// max-bandwidth as QEMU applies it to the outgoing migration file (qemu_file_rate_limit,
// migration_rate_limit): the budget is max-bandwidth / 10 bytes per window of 100 ms
// (BUFFER_DELAY); once a window's budget is spent the migration waits for the next window.
// Bytes beyond a window's budget count against the following ones.

/** QEMU's BUFFER_DELAY, ms. */
export const RATE_WINDOW_MS = 100;

export class RateLimiter {
  private windowStart: number;
  private sent = 0;

  /** `now` gives milliseconds (QEMU_CLOCK_REALTIME). */
  constructor(private bytesPerSec: number, private now: () => number) {
    this.windowStart = now();
  }

  setBandwidth(bytesPerSec: number): void {
    this.bytesPerSec = bytesPerSec;
  }

  private budget(): number {
    return Math.max(1, (this.bytesPerSec * RATE_WINDOW_MS) / 1000);
  }

  private roll(): void {
    const now = this.now();
    if (now - this.windowStart < RATE_WINDOW_MS) return;
    const windows = Math.floor((now - this.windowStart) / RATE_WINDOW_MS);
    this.sent = Math.max(0, this.sent - windows * this.budget());
    this.windowStart += windows * RATE_WINDOW_MS;
  }

  /** Count bytes written to the stream. */
  note(bytes: number): void {
    this.sent += bytes;
  }

  /** 0 when the budget allows writing now, otherwise the ms until the next window opens. */
  waitMs(): number {
    this.roll();
    if (this.sent < this.budget()) return 0;
    return Math.max(1, this.windowStart + RATE_WINDOW_MS - this.now());
  }
}
