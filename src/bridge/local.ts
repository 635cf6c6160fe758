import { handleApiObject } from '../cloudstack/api.js';
import type { Pair } from '../cloudstack/signature.js';
import type { Services } from '../services/services.js';
import { flatten, type CloudStackPort, type CsAnswer, type Credentials, type CsParams } from './port.js';

/**
 * The port in process: requests go through the same CloudStack pipeline a remote client's do, without a
 * socket in between, and carry the caller's key pair instead of a signature made with it (the pipeline
 * checks the secret is the key's); the answer comes back as the object a remote client would parse,
 * without being written as JSON first.
 */
export class LocalPort implements CloudStackPort {
  constructor(
    private services: Services,
    private origin?: 'gce' | 'ec2',
  ) {}

  async call(creds: Credentials, command: string, params: CsParams = {}): Promise<CsAnswer> {
    const pairs: Pair[] = [['command', command], ['response', 'json'], ['apiKey', creds.apiKey], ...flatten(params)];
    return handleApiObject(this.services, { method: 'POST', pairs, cookies: {}, origin: this.origin, keyPair: creds });
  }

  jobsMoved(jobIds: string[], ms: number): Promise<void> {
    return this.services.jobs.moved(jobIds, ms);
  }

  async secretOf(apiKey: string): Promise<string | undefined> {
    return (await this.services.accounts.byApiKey(apiKey))?.secret;
  }
}
