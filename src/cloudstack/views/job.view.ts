import type { Wire, WireJob } from '../wire.js';
import type { Job } from '../../domain/types.js';
import type { JobResult } from '../../jobs/engine.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { fromDomainError } from '../errors.js';
import { DomainError } from '../../domain/errors.js';

/** The kinds whose CloudStack view joins their pending async job (the jobid/jobstatus of list answers too). */
const PENDING_JOB_JOINED = new Set(['VirtualMachine']);

/** Renders a job's result object for the CloudStack front: [object name, fields]. */
export type ResultRenderer = (
  lk: Lookup,
  id: string,
  job: Job,
) => Promise<[string, Record<string, unknown>] | undefined>;

export async function jobView(
  lk: Lookup,
  job: Job,
  renderers: Record<string, ResultRenderer>,
  withResult = true,
): Promise<Wire<WireJob>> {
  const v: Wire<Omit<WireJob, 'jobid'>> = {
    accountid: job.accountId,
    userid: job.userId,
    domainid: job.domainId,
    cmd: job.cmd,
    jobstatus: job.status,
    jobprocstatus: 0,
    jobresultcode: 0,
  };
  if (job.status !== 0 && job.result && withResult) {
    const r = JSON.parse(job.result) as JobResult;
    v['jobresulttype'] = 'object';
    if (r.type === 'error') {
      const e = fromDomainError(new DomainError(r.code, r.message, { ...r.details, param: undefined }), job.cmd);
      v['jobresultcode'] = e.errorcode;
      // ApiAsyncJobDispatcher.runJob builds a fresh ExceptionResponse: the code and the text only,
      // no cserrorcode and no uuids (a synchronous error answer carries both).
      v['jobresult'] = { uuidList: [], errorcode: e.errorcode, errortext: e.errortext };
    } else if (r.type === 'success') {
      v['jobresult'] = { success: true };
    } else {
      const render = renderers[r.instanceType];
      const obj = render ? await render(lk, r.id, job) : undefined;
      // CloudStack serializes the result while its job is still pending, and user_vm_view joins the
      // pending job of each VM: the VM a job acted on carries that job's id with status 0 (Marvin reads
      // `virtual_machine.jobid` off deployVirtualMachine's result).
      if (obj && PENDING_JOB_JOINED.has(r.instanceType) && r.id === job.instanceId)
        Object.assign(obj[1], { jobid: job.id, jobstatus: 0 });
      v['jobresult'] = obj ? { [obj[0]]: obj[1] } : { success: true };
    }
  }
  if (job.instanceType) v['jobinstancetype'] = job.instanceType;
  if (job.instanceId) v['jobinstanceid'] = job.instanceId;
  v['created'] = csDate(job.created);
  if (job.completed) v['completed'] = csDate(job.completed);
  // jobid last, where the answer has always had it.
  return { ...v, jobid: job.id };
}
