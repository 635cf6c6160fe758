import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeImagesCommand, EC2Client, RunInstancesCommand, waitUntilInstanceRunning } from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';

const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

/** Real clients' waiters observe a slow simulated start that the test completes by moving the clock. */
describe('a 30-second simulated start, watched by the EC2 SDK waiter', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
  });
  after(() => s.stop());

  const clock = (body: object) =>
    fetch(`${s.url}/_polystack/clock`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('sees pending until the clock passes 30 s, then running, in well under a second of real time', async () => {
    // Deploys of this template take 30 simulated seconds (a tag on the template), everything else is instant.
    const cfg = await fetch(`${s.endpoint}?command=login&response=json`, { method: 'POST', body: new URLSearchParams({ command: 'login', username: 'admin', password: 'password', response: 'json' }) });
    const key = (await cfg.json()).loginresponse.sessionkey;
    const jsession = /JSESSIONID=([^;]+)/.exec(cfg.headers.getSetCookie().join(';'))![1];
    const template = (await (await fetch(`${s.endpoint}?${new URLSearchParams({ command: 'listTemplates', templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)', response: 'json', sessionkey: key })}`, { headers: { cookie: `JSESSIONID=${jsession}` } })).json()).listtemplatesresponse.template[0].id;
    const tag = new URLSearchParams({ command: 'createTags', resourcetype: 'Template', resourceids: template, 'tags[0].key': 'polystack:delay:deploy', 'tags[0].value': '30s', response: 'json', sessionkey: key });
    assert.equal((await fetch(`${s.endpoint}?${tag}`, { headers: { cookie: `JSESSIONID=${jsession}` } })).status, 200);
    await new Promise((r) => setTimeout(r, 100)); // the tag job
    const ec2 = new EC2Client({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey } });
    await clock({ freeze: true });
    const started = Date.now();
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] }))).Images![0]!.ImageId;
    const id = (await ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const waiting = waitUntilInstanceRunning({ client: ec2, maxWaitTime: 20, minDelay: 0.05, maxDelay: 0.05 } as never, { InstanceIds: [id] });
    await new Promise((r) => setTimeout(r, 150));
    await clock({ advance: '29s' });
    await new Promise((r) => setTimeout(r, 150));
    await clock({ advance: '1s' });
    const result = await waiting;
    assert.equal(result.state, 'SUCCESS');
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms of real time`);
    ec2.destroy();
  });
});
