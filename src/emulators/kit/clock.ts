// The emulated clock. Every expiry an emulator models (codes, tokens, rate-limit windows, blocks, schedules)
// reads it, so a test can jump 24 hours or 3 months without waiting. It keeps ticking in real time from wherever
// it was set, because a frozen clock would make per-second rate limits meaningless; `freeze` stops it on request.

export class EmulatorClock {
  private offsetMs = 0;
  /** When frozen, time stands still at this value until advanced or unfrozen (deterministic rate-limit tests). */
  private frozenAtMs: number | null = null;

  constructor(start?: Date | number) {
    if (start !== undefined) this.set(start);
  }

  /** Milliseconds since the epoch, emulated. */
  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  /** Unix seconds, emulated (what most partner APIs put in timestamps). */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
    if (this.frozenAtMs !== null) this.frozenAtMs += seconds * 1000;
  }

  /** Sets the emulated time: a Date, or unix seconds. */
  set(time: Date | number): void {
    const targetMs = time instanceof Date ? time.getTime() : time * 1000;
    this.offsetMs = targetMs - Date.now();
    if (this.frozenAtMs !== null) this.frozenAtMs = targetMs;
  }

  freeze(): void {
    this.frozenAtMs = this.nowMs();
  }

  /** Resumes ticking from the frozen moment. */
  unfreeze(): void {
    if (this.frozenAtMs === null) return;
    this.offsetMs = this.frozenAtMs - Date.now();
    this.frozenAtMs = null;
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAtMs = null;
  }
}
