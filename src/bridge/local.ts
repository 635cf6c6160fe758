import { handleApi } from '../cloudstack/api.js';
import { sign, type Pair } from '../cloudstack/signature.js';
import type { Services } from '../services/services.js';
import { answerBody, flatten, type CloudStackPort, type CsAnswer, type Credentials, type CsParams } from './port.js';

/**
 * The port in process: requests are signed exactly as a remote client would sign them and go
 * through the same CloudStack pipeline, without a socket in between.
 */
export class LocalPort implements CloudStackPort {
  constructor(
    private services: Services,
    private origin?: 'gce' | 'ec2',
  ) {}

  async call(creds: Credentials, command: string, params: CsParams = {}): Promise<CsAnswer> {
    const pairs: Pair[] = [['command', command], ['response', 'json'], ['apiKey', creds.apiKey], ...flatten(params)];
    pairs.push(['signature', sign(pairs, creds.secretKey)]);
    const r = await handleApi(this.services, { method: 'POST', pairs, cookies: {}, origin: this.origin });
    return { status: r.status, body: answerBody(JSON.parse(r.body)) };
  }

  async secretOf(apiKey: string): Promise<string | undefined> {
    return (await this.services.accounts.byApiKey(apiKey))?.secret;
  }
}
