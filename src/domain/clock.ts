/** Time is injected so that tests and the control API can move it instead of sleeping. */
export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time has passed. */
  sleep(ms: number): Promise<void>;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
  }
}

/** A clock that only moves when told to: sleepers wake when `advance` passes their deadline. */
export class ManualClock implements Clock {
  private sleepers: { at: number; wake: () => void }[] = [];
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((wake) => this.sleepers.push({ at: this.t + ms, wake }));
  }
  /** How many sleepers wait for time to move. */
  get waiting(): number {
    return this.sleepers.length;
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.sleepers.filter((s) => s.at <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.at > this.t);
    for (const s of due) s.wake();
  }
}

/**
 * The clock a running polystack uses: real time plus an offset, which can be frozen, set forward
 * and advanced (the /_polystack/clock endpoint). Sleepers wake when this clock's time reaches
 * their deadline, whether it got there by waiting or by being moved.
 */
export class VirtualClock implements Clock {
  private offset = 0;
  private frozenAt: number | undefined;
  private sleepers: { at: number; wake: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }
  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((wake) => {
      this.sleepers.push({ at: this.now() + ms, wake });
      this.schedule();
    });
  }
  freeze(): void {
    this.frozenAt ??= this.now();
    this.schedule();
  }
  unfreeze(): void {
    if (this.frozenAt === undefined) return;
    this.offset = this.frozenAt - Date.now();
    this.frozenAt = undefined;
    this.schedule();
  }
  /** Moves time forward to `t`; time never goes back (jobs and tokens would stop making sense). */
  set(t: number): void {
    if (t < this.now())
      throw new RangeError(`the clock cannot move backwards (now ${new Date(this.now()).toISOString()})`);
    this.advance(t - this.now());
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the clock can only be advanced by a non-negative number of milliseconds');
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
    this.wakeDue();
  }
  /** Sleepers still waiting (for tests and /_polystack/health). */
  get waiting(): number {
    return this.sleepers.length;
  }

  private wakeDue(): void {
    const now = this.now();
    const due = this.sleepers.filter((s) => s.at <= now);
    this.sleepers = this.sleepers.filter((s) => s.at > now);
    for (const s of due) s.wake();
    this.schedule();
  }
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.frozenAt !== undefined || this.sleepers.length === 0) return;
    const next = Math.min(...this.sleepers.map((s) => s.at));
    this.timer = setTimeout(() => this.wakeDue(), Math.max(0, next - this.now()));
  }
}
