import { sign, type Pair } from '../cloudstack/signature.js';
import { answerBody, flatten, type CloudStackPort, type CsAnswer, type Credentials, type CsParams } from './port.js';
import { requestFailure } from './reach.js';
import { wireCall } from './wire-call.js';

/**
 * The port to a real CloudStack endpoint (gateway mode): signed POSTs. Secrets of users are
 * looked up with an admin key pair (getUser), since the fronts verify signatures themselves.
 */
export class RemotePort implements CloudStackPort {
  constructor(
    private endpoint: string,
    private admin?: Credentials,
  ) {}

  async call(creds: Credentials, command: string, params: CsParams = {}): Promise<CsAnswer> {
    const pairs: Pair[] = [['command', command], ['response', 'json'], ['apiKey', creds.apiKey], ...flatten(params)];
    pairs.push(['signature', sign(pairs, creds.secretKey)]);
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(pairs).toString(),
    }).catch((err: unknown) => {
      throw requestFailure(this.endpoint, err);
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: res.status, body: { errorcode: res.status, errortext: text.slice(0, 200) } };
    }
    return { status: res.status, body: answerBody(parsed) };
  }

  async secretOf(apiKey: string): Promise<string | undefined> {
    if (!this.admin) return undefined;
    const r = await wireCall(this, this.admin, 'getUser', { userapikey: apiKey });
    return r.body?.user?.secretkey ?? undefined;
  }
}
