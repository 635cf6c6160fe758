/**
 * Conformance scenarios: short conversations with an endpoint that state what the real API
 * answers. They run against any endpoint (polystack, a real CloudStack, a gateway), so they clean
 * up what they create and name it with a per-run suffix.
 */

export interface Target {
  /** Base URL: http://host:port (the CloudStack front is at /client/api under it). */
  url: string;
  apiKey: string;
  secretKey: string;
  /** Zone, template and offering names to use; otherwise the scenarios pick. */
  zone?: string;
  template?: string;
  offering?: string;
  /** GCE project (a CloudStack account name); default admin. */
  project?: string;
  /** How long an asynchronous operation may take. */
  timeoutMs: number;
}

/** The first place an answer was not what the API promises. */
export class Difference extends Error {
  constructor(
    readonly where: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${where}: expected ${expected}, got ${actual}`);
  }
}

/** A call that should have worked did not (an error answer, a job that failed, a timeout). */
export class Failure extends Difference {}

/** A scenario that cannot run on this endpoint (nothing to deploy from, ...). */
export class Skip extends Error {}

export interface Scenario<F> {
  id: string;
  title: string;
  run(f: F, s: Steps): Promise<void>;
}

export interface Suite<F> {
  front: 'cloudstack' | 'ec2' | 'gce';
  /** Finds what the scenarios share (clients, a zone, an image); a failure here fails them all. */
  prepare(t: Target): Promise<F>;
  scenarios: readonly Scenario<F>[];
}

/** What a scenario is doing now (for the report) and what to undo when it ends. */
export class Steps {
  current = 'start';
  private undo: (() => Promise<unknown>)[] = [];
  readonly suffix = Math.random().toString(36).slice(2, 8);

  step(name: string): void {
    this.current = name;
  }

  defer(fn: () => Promise<unknown>): void {
    this.undo.unshift(fn);
  }

  async cleanup(): Promise<string[]> {
    const errors: string[] = [];
    for (const fn of this.undo.splice(0))
      await fn().catch((e: unknown) => errors.push(e instanceof Error ? e.message : String(e)));
    return errors;
  }
}

const show = (v: unknown): string =>
  typeof v === 'string'
    ? JSON.stringify(v)
    : v === undefined
      ? 'nothing'
      : (JSON.stringify(v)?.slice(0, 200) ?? String(v));

export function eq(where: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Difference(where, show(expected), show(actual));
}

export function match(where: string, actual: unknown, re: RegExp): void {
  if (typeof actual !== 'string' || !re.test(actual))
    throw new Difference(where, `a string matching ${re}`, show(actual));
}

export function ok(where: string, cond: unknown, expected: string, actual: unknown): void {
  if (!cond) throw new Difference(where, expected, show(actual));
}

/** Every key is present (not undefined) on the object. */
export function fields(where: string, obj: Record<string, unknown> | undefined, keys: readonly string[]): void {
  if (!obj || typeof obj !== 'object') throw new Difference(where, 'an object', show(obj));
  const missing = keys.filter((k) => obj[k] === undefined);
  if (missing.length) throw new Difference(`${where}.${missing[0]}`, 'a value', 'nothing');
}

/** Calls `probe` until it returns a value, or fails with what it last saw. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  last: () => string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Failure(what, `within ${timeoutMs} ms`, `still ${last()}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
