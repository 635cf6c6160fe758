import { XMLParser } from 'fast-xml-parser';
import { CsClient } from './cs-client.js';
import { sigv4 } from './ec2-sign.js';

/** A CloudStack key pair; on EC2 the access key and secret, on GCE the OAuth client id and secret. */
export interface Keys {
  apiKey: string;
  secretKey: string;
}

export interface Ec2Reply {
  status: number;
  text: string;
  xml: any;
  /** The error code of an error answer. */
  code?: string;
  requestId: string | null;
}

const xml = new XMLParser();

/** One tenant's client for all three fronts of a served polystack, over HTTP. */
export class FrontClient {
  readonly cs: CsClient;
  private token: string | undefined;

  constructor(
    readonly url: string,
    readonly keys: Keys,
  ) {
    this.cs = new CsClient(`${url}/client/api`, keys.apiKey, keys.secretKey);
  }

  /** An EC2 Query POST signed with SigV4 (another secret or time to sign bad requests). */
  async ec2(
    params: Record<string, string>,
    opts: { secret?: string; when?: Date; headers?: Record<string, string> } = {},
  ): Promise<Ec2Reply> {
    const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
    const headers = {
      ...sigv4(new URL(this.url), body, this.keys.apiKey, opts.secret ?? this.keys.secretKey, opts.when),
      ...opts.headers,
    };
    const r = await fetch(`${this.url}/`, { method: 'POST', headers, body });
    const text = await r.text();
    const parsed = text.startsWith('<') ? xml.parse(text) : undefined;
    return {
      status: r.status,
      text,
      xml: parsed,
      code: parsed?.Response?.Errors?.Error?.Code,
      requestId: r.headers.get('x-amzn-requestid'),
    };
  }

  /** An access token from the front's token endpoint (client credentials = the key pair). */
  async gceToken(): Promise<string> {
    const r = await fetch(`${this.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.keys.apiKey,
        client_secret: this.keys.secretKey,
      }),
    });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
    return (await r.json()).access_token as string;
  }

  /** A Compute Engine call; `path` is relative to /compute/v1/projects/ unless it starts with '/'. */
  async gce(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: any; text: string }> {
    const bearer = token === null ? undefined : (token ?? (this.token ??= await this.gceToken()));
    const r = await fetch(path.startsWith('/') ? this.url + path : `${this.url}/compute/v1/projects/${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: r.status, body: parsed, text };
  }
}

/** Creates a user account (one user of the same name) and returns its key pair, as the admin. */
export async function createTenant(
  admin: CsClient,
  name: string,
): Promise<Keys & { accountId: string; userId: string }> {
  const made = await admin.call(
    'createAccount',
    {
      account: name,
      username: name,
      password: `${name}-pw`,
      email: `${name}@example.com`,
      firstname: name,
      lastname: 'tenant',
      accounttype: '0',
    },
    'POST',
  );
  if (made.status !== 200) throw new Error(`createAccount ${name}: ${made.status} ${JSON.stringify(made.body)}`);
  const user = made.body.account.user[0];
  const keys = await admin.call('registerUserKeys', { id: user.id }, 'POST');
  if (keys.status !== 200) throw new Error(`registerUserKeys ${name}: ${JSON.stringify(keys.body)}`);
  return {
    apiKey: keys.body.userkeys.apikey,
    secretKey: keys.body.userkeys.secretkey,
    accountId: made.body.account.id,
    userId: user.id,
  };
}
