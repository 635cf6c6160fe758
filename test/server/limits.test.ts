import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CsClient, sign, wire } from '../helpers/cs-client.js';
import { FrontClient } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';

const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

/** Request size, parameter count and time limits, refused in each front's own shape. */
describe('request limits', () => {
  let s: TestServer;
  let admin: CsClient;
  let fronts: FrontClient;
  const vmCount = async () => (await admin.call('listVirtualMachines', { listall: 'true' })).body.count ?? 0;

  before(async () => {
    s = await startServer({
      env: {
        POLYSTACK_REQUEST_CONTENT_SIZE: '4096',
        POLYSTACK_REQUEST_MAX_FORM_KEYS: '40',
        POLYSTACK_HANDLER_TIMEOUT_MS: '400',
        POLYSTACK_REQUEST_TIMEOUT_MS: '600',
        POLYSTACK_AGENT_DELAY_MS: '0',
      },
    });
    admin = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    fronts = new FrontClient(s.url, { apiKey: s.apiKey, secretKey: s.secretKey });
  });
  after(() => s.stop());

  it('CloudStack: a body over request.content.size is a 413 in the error envelope, and runs nothing', async () => {
    const before = await vmCount();
    const pairs = sign(
      [
        ['command', 'deployVirtualMachine'],
        ['response', 'json'],
        ['userdata', 'A'.repeat(6000)],
        ['apiKey', s.apiKey],
      ],
      s.secretKey,
    );
    const r = await fetch(`${s.endpoint}?response=json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: wire(pairs),
    });
    assert.equal(r.status, 413);
    const body = (await r.json()).errorresponse;
    assert.equal(body.errorcode, 413);
    assert.equal(body.errortext, 'Request payload size exceeds the limit: 4096 bytes.');
    assert.equal(await vmCount(), before);
  });

  it("EC2: RequestEntityTooLarge (413); GCE: 400 badRequest with Google's text", async () => {
    const ec2 = await fronts.ec2({ Action: 'ImportKeyPair', KeyName: 'big', PublicKeyMaterial: 'B'.repeat(6000) });
    assert.equal(ec2.status, 413);
    assert.equal(ec2.code, 'RequestEntityTooLarge');
    assert.ok(ec2.xml.Response.RequestID);
    const gce = await fronts.gce('POST', 'admin/global/firewalls', { name: 'big', description: 'C'.repeat(6000) });
    assert.equal(gce.status, 400);
    assert.equal(gce.body.error.errors[0].reason, 'badRequest');
    assert.equal(gce.body.error.message, 'Request payload size exceeds the limit: 4096 bytes.');
    assert.equal((await fronts.gce('GET', 'admin/global/firewalls/big')).status, 404);
  });

  it('more parameters than request.max.form.keys are refused before the command runs', async () => {
    const extra = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`tags[${i}].key`, 'k']));
    const r = await admin.call('listZones', extra);
    assert.equal(r.status, 413);
    assert.equal(r.body.errortext, 'Request has more than 40 parameters.');
    const ec2 = await fronts.ec2({
      Action: 'DescribeRegions',
      ...Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`RegionName.${i + 1}`, 'x'])),
    });
    assert.equal(ec2.code, 'RequestEntityTooLarge');
  });

  it("a request not answered within the handler deadline gets each front's unavailable answer", async () => {
    // Past the 400 ms deadline, the three fronts at once: the test waits out one delay, not three.
    const DELAY_MS = 800;
    const fault = async (front: string, operation: string) => {
      const r = await fetch(`${s.url}/_polystack/faults`, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/json' },
        body: JSON.stringify({ front, operation, effect: 'delay', delayMs: DELAY_MS, count: 1 }),
      });
      assert.equal(r.status, 201);
    };
    await fault('cloudstack', 'listZones');
    await fault('ec2', 'DescribeRegions');
    await fault('gce', 'zones.list');
    const started = Date.now();
    const [cs, ec2, gce] = await Promise.all([
      admin.call('listZones'),
      fronts.ec2({ Action: 'DescribeRegions' }),
      fronts.gce('GET', 'admin/zones'),
    ]);
    assert.equal(cs.status, 534);
    assert.equal(cs.body.cserrorcode, 4560);
    assert.match(cs.body.errortext, /not answered within 400 ms/);
    assert.deepEqual([ec2.status, ec2.code], [503, 'Unavailable']);
    assert.deepEqual([gce.status, gce.body.error.errors[0].reason], [503, 'backendError']);
    // The delayed handlers finish later; their late answers are dropped and the server goes on.
    await new Promise((r) => setTimeout(r, Math.max(0, started + DELAY_MS + 100 - Date.now())));
    assert.equal((await admin.call('listZones')).status, 200);
  });

  // Liveness, not a timing claim: a server that never cut the socket off would hang past the test's timeout.
  it(
    'a client that never finishes sending its request is cut off after the request timeout',
    { timeout: 60_000 },
    async () => {
      const url = new URL(s.url);
      const socket = connect(Number(url.port), url.hostname);
      const answer = await new Promise<string>((resolve) => {
        let got = '';
        socket.on('connect', () =>
          socket.write(
            'POST /client/api HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncommand=list',
          ),
        );
        socket.on('data', (d) => (got += d.toString()));
        socket.on('close', () => resolve(got));
      });
      assert.match(answer, /^HTTP\/1\.1 408/);
    },
  );
});
