import type { CloudStackPort, Credentials, CsParams } from '../bridge/port.js';

/** A CloudStack error answer, from the call itself or from the async job it started. */
export class CsApiError extends Error {
  constructor(
    readonly command: string,
    readonly status: number,
    readonly errortext: string,
  ) {
    super(`${command}: ${status} ${errortext}`);
  }
}

/**
 * The calls a data-center deployer makes, over any CloudStack port: signed requests, and async
 * commands followed through queryAsyncJobResult until their job ends, as Marvin's client does.
 */
export class CsApi {
  constructor(
    private port: CloudStackPort,
    private creds: Credentials,
    private pollMs = 100,
    /** In process the job engine can say when a job ends; polling then costs one query instead of many. */
    private settled?: (jobId: string) => Promise<unknown>,
  ) {}

  /** The object under `<command>response`; throws CsApiError on an error answer. */
  async call(command: string, params: CsParams = {}): Promise<Record<string, any>> {
    const r = await this.port.call(this.creds, command, params);
    // The deployer sends admin commands wire.ts does not describe, and reads their answers loosely.
    const body = r.body as Record<string, any>;
    if (r.status !== 200) throw new CsApiError(command, r.status, String(body['errortext'] ?? `HTTP ${r.status}`));
    return body;
  }

  /** An async command, waited for: the job's result object. */
  async run(command: string, params: CsParams = {}): Promise<Record<string, any>> {
    const { jobid } = await this.call(command, params);
    if (!jobid) throw new CsApiError(command, 530, 'no job id in the answer of an async command');
    if (this.settled) await this.settled(jobid);
    for (;;) {
      const j = await this.call('queryAsyncJobResult', { jobid });
      if (j['jobstatus'] === 1) return (j['jobresult'] ?? {}) as Record<string, any>;
      if (j['jobstatus'] === 2)
        throw new CsApiError(
          command,
          Number(j['jobresultcode'] ?? 530),
          String(j['jobresult']?.['errortext'] ?? 'job failed'),
        );
      await new Promise((res) => setTimeout(res, this.pollMs));
    }
  }
}
