import { ApiError, cs, type Params } from './cloudstack';

export interface JobResult {
  jobid: string;
  jobstatus: number;
  jobresultcode?: number;
  jobresult?: Record<string, unknown>;
  jobinstanceid?: string;
  cmd?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls queryAsyncJobResult until the job ends; a failed job throws its errortext. */
export async function waitForJob(jobid: string, onPoll?: () => void, intervalMs = 400): Promise<JobResult> {
  for (;;) {
    const j = await cs.call<JobResult>('queryAsyncJobResult', { jobid });
    if (j.jobstatus === 1) return j;
    if (j.jobstatus === 2) {
      const r = (j.jobresult ?? {}) as { errorcode?: number; errortext?: string };
      throw new ApiError(
        Number(r.errorcode ?? j.jobresultcode ?? 530),
        String(r.errortext ?? 'The job failed'),
        j.cmd ?? 'job',
      );
    }
    onPoll?.();
    await sleep(intervalMs);
  }
}

/** An async command, then its job to the end. */
export async function runJob(command: string, params: Params, onPoll?: () => void): Promise<JobResult> {
  const { jobid } = await cs.call<{ jobid: string }>(command, params);
  return waitForJob(jobid, onPoll);
}
