import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeImagesCommand, EC2Client, RunInstancesCommand, waitUntilInstanceRunning } from '@aws-sdk/client-ec2';
import { google, type compute_v1 } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { quickWaiter } from '../helpers/waiters.js';

const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;
const TEMPLATE = 'CentOS 5.3(64-bit) no GUI (Simulator)';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Real clients' waiters observe a slow simulated start that the test completes by moving the clock. */
describe('a 30-second simulated start, watched by real clients', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    // Deploys of this template take 30 simulated seconds (a tag on the template), everything else is instant.
    const cs = await httpLogin(s.endpoint);
    const template = (await cs.call('listTemplates', { templatefilter: 'featured', name: TEMPLATE })).body.template[0]
      .id;
    const tag = await cs.call('createTags', {
      resourcetype: 'Template',
      resourceids: template,
      'tags[0].key': 'polystack:delay:deploy',
      'tags[0].value': '30s',
    });
    assert.equal(tag.status, 200);
    await sleep(100); // the tag job
  });
  after(() => s.stop());

  const clock = (body: object) =>
    fetch(`${s.url}/_polystack/clock`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  // No real-time bound: the waiter can only succeed because the frozen clock was moved past 30 s.
  it('the EC2 SDK waiter sees pending until the clock passes 30 s, then running', async () => {
    const ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    await clock({ freeze: true });
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId;
    const id = (await ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1 }))).Instances![0]!
      .InstanceId!;
    const waiting = waitUntilInstanceRunning(quickWaiter(ec2, 20), { InstanceIds: [id] });
    await sleep(150);
    await clock({ advance: '29s' });
    await sleep(150);
    await clock({ advance: '1s' });
    const result = await waiting;
    assert.equal(result.state, 'SUCCESS');
    ec2.destroy();
  });

  it('a GCE zoneOperations.wait (googleapis) stays RUNNING with the instance STAGING until the clock passes 30 s', async () => {
    const token = (await (
      await fetch(`${s.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: s.apiKey,
          client_secret: s.secretKey,
        }),
      })
    ).json()) as { access_token: string };
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: token.access_token });
    const gce: compute_v1.Compute = google.compute({ version: 'v1', auth, rootUrl: `${s.url}/` });
    const project = 'admin';
    const zone = 'sandbox-simulator-basic';
    const image = (await gce.images.list({ project })).data.items!.find(
      (i) => i.description === TEMPLATE || i.name === 'centos-5-3-64-bit-no-gui-simulator',
    )!;
    await clock({ freeze: true });
    const op = (
      await gce.instances.insert({
        project,
        zone,
        requestBody: {
          name: 'slow-1',
          machineType: `zones/${zone}/machineTypes/small-instance`,
          disks: [{ boot: true, initializeParams: { sourceImage: image.selfLink } }],
          networkInterfaces: [{ network: 'global/networks/default' }],
        },
      })
    ).data;
    let done: compute_v1.Schema$Operation | undefined;
    const waiting = gce.zoneOperations.wait({ project, zone, operation: op.name! }).then((r) => (done = r.data));
    await sleep(150);
    await clock({ advance: '29s' });
    await sleep(150);
    assert.equal(done, undefined, 'the wait is still open at 29 s');
    assert.equal((await gce.zoneOperations.get({ project, zone, operation: op.name! })).data.status, 'RUNNING');
    assert.match(
      (await gce.instances.get({ project, zone, instance: 'slow-1' })).data.status!,
      /^(PROVISIONING|STAGING)$/,
    );
    await clock({ advance: '1s' });
    await waiting;
    assert.equal(done!.status, 'DONE');
    assert.equal(done!.error, undefined, JSON.stringify(done!.error));
    assert.equal((await gce.instances.get({ project, zone, instance: 'slow-1' })).data.status, 'RUNNING');
  });
});
