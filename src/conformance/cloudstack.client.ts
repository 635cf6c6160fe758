import { sign, type Pair } from '../cloudstack/signature.js';
import { Failure, waitFor } from './scenario.js';

export interface CsReply {
  status: number;
  contentType: string;
  text: string;
  /** The object under the single `<command>response` key, when the answer is JSON. */
  body: any;
  /** That key. */
  key?: string;
}

/** A CloudStack API caller signing with an API key pair (signature version 1, HMAC-SHA1). */
export class CsApi {
  constructor(
    readonly endpoint: string,
    private apiKey: string,
    private secretKey: string,
  ) {}

  /** Signs and sends the parameters as a form POST; `secret` overrides the key pair's secret. */
  async send(
    params: Record<string, string>,
    opts: { secret?: string; response?: 'json' | 'xml' } = {},
  ): Promise<CsReply> {
    const pairs: Pair[] = [...Object.entries(params), ['response', opts.response ?? 'json'], ['apiKey', this.apiKey]];
    pairs.push(['signature', sign(pairs, opts.secret ?? this.secretKey)]);
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(pairs).toString(),
      });
    } catch (e) {
      throw new Failure(
        `${params['command']} reachable`,
        `an answer from ${this.endpoint}`,
        String((e as Error).cause ?? e),
      );
    }
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const key = json && Object.keys(json).length === 1 ? Object.keys(json)[0] : undefined;
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      text,
      body: key ? json![key] : json,
      key,
    };
  }

  call(command: string, params: Record<string, string> = {}): Promise<CsReply> {
    return this.send({ command, ...params });
  }

  /** A call that must succeed: its body, or a failure naming the answer. */
  async ok(command: string, params: Record<string, string> = {}): Promise<any> {
    const r = await this.call(command, params);
    if (r.status !== 200)
      throw new Failure(`${command} HTTP status`, '200', `${r.status} ${r.body?.errortext ?? r.text.slice(0, 200)}`);
    return r.body;
  }

  /** An asynchronous command that must succeed: the finished job's jobresult. */
  async job(command: string, params: Record<string, string>, timeoutMs: number): Promise<any> {
    const { jobid } = await this.ok(command, params);
    if (!jobid) throw new Failure(`${command} job`, 'a jobid', 'none');
    return this.wait(command, jobid, timeoutMs);
  }

  /** Polls queryAsyncJobResult until the job ends; the jobresult of a job that succeeded. */
  async wait(command: string, jobid: string, timeoutMs: number): Promise<any> {
    let last: any;
    const done = await waitFor(
      `${command} job ${jobid}`,
      timeoutMs,
      async () => {
        last = await this.ok('queryAsyncJobResult', { jobid });
        return last.jobstatus === 0 ? undefined : last;
      },
      () => `jobstatus ${last?.jobstatus}`,
    );
    if (done.jobstatus !== 1)
      throw new Failure(
        `${command} job`,
        'jobstatus 1',
        `jobstatus ${done.jobstatus}: ${done.jobresult?.errortext ?? JSON.stringify(done.jobresult)}`,
      );
    return done.jobresult;
  }
}

/** The CloudStack endpoint under a base URL: http://h:p → http://h:p/client/api; a full endpoint is kept. */
export const cloudstackEndpoint = (url: string): string =>
  /\/client\/api\/?$/.test(url) ? url.replace(/\/$/, '') : `${url.replace(/\/+$/, '')}/client/api`;
