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
