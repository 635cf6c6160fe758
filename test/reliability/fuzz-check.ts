import type { FuzzWorld, Answer } from './fuzz-world.js';

/** Per-front tallies of what the fuzzers sent and got back. */
export class Tally {
  requests = 0;
  accepted = 0;
  refused = 0;
  byStatus = new Map<number, number>();
  failures: string[] = [];

  add(status: number): void {
    this.requests++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }
  fail(what: string): void {
    if (this.failures.length < 20) this.failures.push(what);
  }
  summary(): Record<string, unknown> {
    return {
      requests: this.requests,
      accepted: this.accepted,
      refused: this.refused,
      statuses: Object.fromEntries([...this.byStatus].sort(([a], [b]) => a - b)),
    };
  }
}

/**
 * Sends one generated request and checks what every request must satisfy: no 5xx (CloudStack's
 * own 530-537 answer codes are API errors, not server faults: 530 is how CloudStack answers a
 * CloudRuntimeException such as "Host … cannot be deleted as it is not in maintenance mode"; a
 * crash is answered 530 too, but is logged as unexpected, which is checked below), an error in the front's own
 * shape, no write anywhere when the request is refused, and no error logged as unexpected.
 * Accepted work is run to its end before the next request, so its writes are not mistaken for
 * the next one's.
 */
export async function probe(
  fw: FuzzWorld,
  tally: Tally,
  label: string,
  send: () => Promise<Answer>,
  shapeOk: (a: Answer) => string | undefined,
  accepted: (a: Answer) => boolean = (a) => a.status >= 200 && a.status < 300,
): Promise<Answer> {
  const before = fw.writes();
  const logged = fw.unexpected.length;
  const a = await send();
  tally.add(a.status);
  const where = `${label} → ${a.status} ${a.body.slice(0, 240)}`;
  if (a.status >= 500 && !(a.status >= 530 && a.status <= 537)) tally.fail(`5xx: ${where}`);
  if (fw.unexpected.length > logged && !accepted(a))
    tally.fail(`logged unexpected: ${where}\n${fw.unexpected.slice(logged).join('\n').slice(0, 800)}`);
  if (accepted(a)) {
    tally.accepted++;
    await fw.drain();
    // A job that fails on something unexpected (an SQL error, a crash) does so while draining.
    if (fw.unexpected.length > logged)
      tally.fail(`logged unexpected in its job: ${where}\n${fw.unexpected.slice(logged).join('\n').slice(0, 800)}`);
    if (tally.accepted % 50 === 0) await fw.keepRoom();
    // Without its keys every later request would stop at the signature check.
    await fw.restoreKeys();
    return a;
  }
  tally.refused++;
  const bad = shapeOk(a);
  if (bad) tally.fail(`${bad}: ${where}`);
  const changed = fw.changed(before);
  if (changed.length) tally.fail(`refused but wrote ${changed.join(', ')}: ${where}`);
  return a;
}
