import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startPolystack, type Polystack } from '../../src/server/app.js';
import { resolveConfig } from '../../src/server/config.js';
import { CsClient, sign, wire } from '../helpers/cs-client.js';
import { sigv4 } from '../helpers/ec2-sign.js';
import { FrontClient } from '../helpers/fronts.js';
import { ADMIN_API_KEY, ADMIN_SECRET_KEY } from '../helpers/server.js';

/** What proxies and clients accept for a whole response head (Jetty's response header buffer). */
const HEAD_MAX = 8192;
/** A body value: far past any header bound. */
const HUGE = 'x'.repeat(70_000);
/** A value that must fit in the request line or a request header (Node's limit is 16 KiB for the whole head). */
const LONG = 'y'.repeat(12_000);
const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

interface Head {
  status: number;
  bytes: number;
  longest: string;
}

/** Sends one request and measures the response head as it came off the wire (names, values, separators). */
function head(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Head> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method,
        headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        const raw = res.rawHeaders;
        let bytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
        let longest = '';
        for (let i = 0; i < raw.length; i += 2) {
          bytes += raw[i]!.length + 2 + raw[i + 1]!.length + 2;
          if (raw[i + 1]!.length > longest.length)
            longest = `${raw[i]}: ${raw[i + 1]!.slice(0, 60)}... (${raw[i + 1]!.length})`;
        }
        res.resume().on('end', () => resolve({ status: res.statusCode!, bytes, longest }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Every front answers a huge value (a 70,000-character id in a body, a 12,000-character name in
 * a path, a query or a header) with a response head that stays under 8 KiB: headers built from
 * input go through headerText (src/http/headers.ts), and anything that does not is cut by the
 * HTTP layer.
 */
describe('response headers stay bounded whatever the request echoes', () => {
  let p: Polystack;
  let base: string;
  let gceToken: string;

  before(async () => {
    const env = {
      POLYSTACK_AGENT_DELAY_MS: '0',
      POLYSTACK_ADMIN_API_KEY: ADMIN_API_KEY,
      POLYSTACK_ADMIN_SECRET_KEY: ADMIN_SECRET_KEY,
      POLYSTACK_REQUEST_CONTENT_SIZE: '1048576',
    };
    p = await startPolystack(resolveConfig({ inMemory: true, port: 0 }, env));
    base = p.url;
    gceToken = await new FrontClient(base, { apiKey: ADMIN_API_KEY, secretKey: ADMIN_SECRET_KEY }).gceToken();
  });
  after(() => p?.close());

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const cases: [string, () => Promise<Head>][] = [
    [
      'CloudStack: a 70,000-character id (431, X-Description)',
      () =>
        head(
          base,
          'POST',
          '/client/api',
          form,
          wire(
            sign(
              [
                ['command', 'listVirtualMachines'],
                ['response', 'json'],
                ['id', HUGE],
                ['apiKey', ADMIN_API_KEY],
              ],
              ADMIN_SECRET_KEY,
            ),
          ),
        ),
    ],
    [
      'CloudStack: an unknown command of 70,000 characters in a session-less call',
      () =>
        head(base, 'POST', '/client/api', form, new URLSearchParams({ command: HUGE, response: 'json' }).toString()),
    ],
    [
      'CloudStack: a login with a 70,000-character user name (531, X-Description)',
      () =>
        head(
          base,
          'POST',
          '/client/api',
          form,
          new URLSearchParams({ command: 'login', username: HUGE, password: 'x', response: 'json' }).toString(),
        ),
    ],
    [
      'CloudStack: a login into a 70,000-character domain path',
      () =>
        head(
          base,
          'POST',
          '/client/api',
          form,
          new URLSearchParams({ command: 'login', username: 'admin', password: 'x', domain: HUGE }).toString(),
        ),
    ],
    [
      'EC2: a 70,000-character instance id',
      () => {
        const body = new URLSearchParams({
          Action: 'DescribeInstances',
          Version: '2016-11-15',
          'InstanceId.1': HUGE,
        }).toString();
        return head(base, 'POST', '/', sigv4(new URL(base), body, ADMIN_API_KEY, ADMIN_SECRET_KEY), body);
      },
    ],
    [
      'EC2: a 70,000-character action, unsigned',
      () => head(base, 'POST', '/', form, new URLSearchParams({ Action: HUGE }).toString()),
    ],
    [
      'GCE: a 12,000-character instance name in the path',
      () =>
        head(base, 'GET', `/compute/v1/projects/admin/zones/z/instances/${LONG}`, {
          authorization: `Bearer ${gceToken}`,
        }),
    ],
    [
      'GCE: a 70,000-character name in a body',
      () =>
        head(
          base,
          'POST',
          '/compute/v1/projects/admin/global/firewalls',
          { authorization: `Bearer ${gceToken}`, 'content-type': 'application/json' },
          JSON.stringify({ name: HUGE }),
        ),
    ],
    [
      'GCE: a 12,000-character project someone else owns',
      () => head(base, 'GET', `/compute/v1/projects/${LONG}/zones`, { authorization: `Bearer ${gceToken}` }),
    ],
    [
      'OAuth: a 12,000-character redirect_uri (Location)',
      () =>
        head(
          base,
          'GET',
          `/oauth2/auth?response_type=code&client_id=${ADMIN_API_KEY}&redirect_uri=${encodeURIComponent(`https://example.com/${LONG}`)}`,
        ),
    ],
    [
      'OAuth: a 12,000-character state (Location)',
      () =>
        head(
          base,
          'GET',
          `/oauth2/auth?response_type=code&client_id=${ADMIN_API_KEY}&redirect_uri=https://example.com/cb&state=${LONG}`,
        ),
    ],
    [
      'OAuth: a 70,000-character grant type',
      () => head(base, 'POST', '/token', form, new URLSearchParams({ grant_type: HUGE }).toString()),
    ],
    [
      'control: a fault rule naming a 70,000-character operation',
      () =>
        head(
          base,
          'POST',
          '/_polystack/faults',
          { authorization: BASIC, 'content-type': 'application/json' },
          JSON.stringify({ front: 'ec2', operation: HUGE, effect: 'error', status: 503 }),
        ),
    ],
    [
      'metadata: a 12,000-character instance id',
      () => head(base, 'GET', `/_polystack/instances/${LONG}/latest/meta-data/instance-id`),
    ],
    [
      'metadata: a 12,000-character IMDSv2 token',
      () => head(base, 'GET', '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': LONG }),
    ],
    [
      'any front: a 12,000-character X-Request-Id',
      () => head(base, 'GET', '/_polystack/health', { 'x-request-id': LONG }),
    ],
  ];

  for (const [name, send] of cases) {
    it(name, async () => {
      const h = await send();
      assert.ok(![500, 530].includes(h.status), `status ${h.status}`);
      assert.ok(h.bytes < HEAD_MAX, `response head of ${h.bytes} bytes; longest header ${h.longest}`);
    });
  }

  it('the 431 still names the bad value, cut, in X-Description and whole in the body', async () => {
    const r = await new CsClient(`${base}/client/api`, ADMIN_API_KEY, ADMIN_SECRET_KEY).raw(
      { command: 'listVirtualMachines', response: 'json', id: HUGE },
      { method: 'POST' },
    );
    assert.equal(r.status, 431);
    const description = r.headers.get('x-description') ?? '';
    assert.ok(description.length <= 1024 && description.length > 100, `${description.length}`);
    assert.match(
      description,
      /^Unable to execute API command listvirtualmachines due to invalid value\. Invalid parameter id value=x+\.\.\.$/,
    );
    assert.ok(r.json.listvirtualmachinesresponse.errortext.includes(HUGE));
  });
});
