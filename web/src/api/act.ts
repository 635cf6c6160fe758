import { cs, type Params } from './cloudstack';
import { waitForJob } from './jobs';

/**
 * A command that changes state, awaited to its end: CloudStack answers async commands with a
 * jobid only, so those are followed to their result (a failed job throws its errortext); sync
 * commands answer the object itself. Pages need not know which of the two a command is.
 */
export async function act<T = Record<string, unknown>>(command: string, params: Params = {}): Promise<T> {
  const body = await cs.call<Record<string, unknown>>(command, params);
  const jobid = body['jobid'];
  if (typeof jobid !== 'string' || Object.keys(body).some((k) => k !== 'jobid' && k !== 'id')) return body as T;
  const job = await waitForJob(jobid);
  return (job.jobresult ?? {}) as T;
}

/** The first object of an answer's single key (createX answers `{ x: {...} }`). */
export function first<T>(body: Record<string, unknown>): T | undefined {
  const v = Object.values(body).find((x) => x && typeof x === 'object');
  return v as T | undefined;
}
