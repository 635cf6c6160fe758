import { Failure, waitFor } from './scenario.js';

export interface GceReply {
  status: number;
  body: any;
}

/** A Compute Engine v1 REST caller: an OAuth 2 token from the endpoint's /token, then bearer JSON calls. */
export class GceApi {
  token?: string;
  constructor(
    readonly url: string,
    readonly project: string,
  ) {}

  private async fetch(what: string, url: string, init: RequestInit): Promise<GceReply> {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e) {
      throw new Failure(`${what} reachable`, `an answer from ${url}`, String((e as Error).cause ?? e));
    }
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body };
  }

  /** client_credentials with a CloudStack key pair as client id and secret (how polystack's GCE front issues tokens). */
  tokenFor(clientId: string, secret: string): Promise<GceReply> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
    return this.fetch('token', `${this.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  }

  /** `path` is relative to projects/{project}/; `token: null` sends none. */
  call(method: string, path: string, body?: unknown, token: string | null | undefined = this.token): Promise<GceReply> {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.fetch(`${method} ${path}`, `${this.url}/compute/v1/projects/${this.project}/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.call(method, path, body);
    if (r.status !== 200)
      throw new Failure(
        `${method} ${path} HTTP status`,
        '200',
        `${r.status} ${r.body?.error?.message ?? JSON.stringify(r.body).slice(0, 200)}`,
      );
    return r.body;
  }

  /** Polls an Operation until DONE; a failure if it ended with an error. */
  async done(op: any, timeoutMs: number): Promise<any> {
    const path = op.zone
      ? `zones/${String(op.zone).split('/').pop()}/operations/${op.name}`
      : `global/operations/${op.name}`;
    let last = op;
    const end = await waitFor(
      `operation ${op.name}`,
      timeoutMs,
      async () => ((last = await this.ok('GET', path)).status === 'DONE' ? last : undefined),
      () => String(last?.status),
    );
    if (end.error)
      throw new Failure(`operation ${op.operationType} ${op.targetLink ?? ''}`, 'no error', JSON.stringify(end.error));
    return end;
  }
}
