import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';

const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

describe('/_polystack/faults', () => {
  let s: TestServer;
  let cs: HttpSession;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    cs = await httpLogin(s.endpoint);
  });
  after(() => s.stop());

  const control = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${s.url}/_polystack/${path}`, {
      method,
      headers: { authorization: BASIC, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
  };
  const waitJob = async (jobid: string) => {
    for (;;) {
      const j = (await cs.call('queryAsyncJobResult', { jobid })).body;
      if (j.jobstatus !== 0) return j;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('an error rule with a count fails that command once, in CloudStack error shape', async () => {
    const rule = await control('POST', 'faults', {
      front: 'cloudstack',
      operation: 'listZones',
      effect: 'error',
      status: 503,
      message: 'zone service on fire',
      count: 1,
    });
    assert.equal(rule.status, 201);
    const failed = await cs.call('listZones');
    assert.equal(failed.status, 503);
    assert.deepEqual(failed.body, {
      uuidList: [],
      errorcode: 503,
      cserrorcode: 4250,
      errortext: 'zone service on fire',
    });
    assert.equal((await cs.call('listZones')).status, 200);
    const listed = (await control('GET', 'faults')).body.rules.find((r: any) => r.id === rule.body.id);
    assert.equal(listed.hits, 1);
    assert.equal(listed.remaining, 0);
  });

  it('a capacity rule makes the allocator refuse a zone: the deploy job fails with 533', async () => {
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (
      await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
    ).body.template[0].id;
    await control('POST', 'faults', { effect: 'capacity', zoneId: zone, count: 1 });
    const deploy = () =>
      cs.call('deployVirtualMachine', { zoneid: zone, serviceofferingid: offering, templateid: template });
    const j1 = await waitJob((await deploy()).body.jobid);
    assert.equal(j1.jobstatus, 2);
    assert.equal(j1.jobresultcode, 533);
    assert.deepEqual(
      Object.keys(j1.jobresult),
      ['uuidList', 'errorcode', 'errortext'],
      'the async dispatcher sets no cserrorcode',
    );
    assert.equal((await waitJob((await deploy()).body.jobid)).jobstatus, 1, 'the rule fired its one time');
  });

  it('a delay rule holds the answer for that long on the simulated clock', async () => {
    await control('POST', 'clock', { freeze: true });
    await control('POST', 'faults', { operation: 'listOsTypes', effect: 'delay', delayMs: 60_000, count: 1 });
    let answered = false;
    const pending = cs.call('listOsTypes').then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(answered, false);
    await control('POST', 'clock', { advance: '60s' });
    assert.equal((await pending).status, 200);
    await control('POST', 'clock', { freeze: false });
  });

  it('one capacity rule, each front its own error: EC2 InsufficientInstanceCapacity, GCE ZONE_RESOURCE_POOL_EXHAUSTED', async () => {
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id;
    // InsufficientInstanceCapacity is a 500, which the SDK would retry (and the count-1 rule let through).
    const ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
      maxAttempts: 1,
    });
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId;
    const liveCount = async () =>
      (await ec2.send(new DescribeInstancesCommand({})))
        .Reservations!.flatMap((r) => r.Instances!)
        .filter((i) => i.State!.Name !== 'terminated').length;
    const before = await liveCount();
    await control('POST', 'faults', { effect: 'capacity', zoneId: zone, count: 1 });
    await assert.rejects(
      ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          MinCount: 1,
          MaxCount: 1,
          Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
        }),
      ),
      (e: any) => e.name === 'InsufficientInstanceCapacity' && e.$metadata.httpStatusCode === 500,
    );
    assert.equal(await liveCount(), before, 'nothing left behind');
    // MinCount: with two placements refused, MaxCount=4 gives 2 when MinCount is 2, and none when it is 3.
    const run = (min: number) =>
      ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          MinCount: min,
          MaxCount: 4,
          Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
        }),
      );
    await control('POST', 'faults', { effect: 'capacity', zoneId: zone, count: 2 });
    assert.equal((await run(2)).Instances!.length, 2);
    await control('POST', 'faults', { effect: 'capacity', zoneId: zone, count: 2 });
    await assert.rejects(run(3), (e: any) => e.name === 'InsufficientInstanceCapacity');
    assert.equal(await liveCount(), before + 2, 'only the launch that met its MinCount remains');
    ec2.destroy();
    // The GCE side of the same rule is in test/gce/errors.test.ts (an Operation whose error is ZONE_RESOURCE_POOL_EXHAUSTED).
  });

  it('an error rule at the EC2 and GCE fronts answers in their own shapes', async () => {
    await control('POST', 'faults', {
      front: 'ec2',
      operation: 'DescribeAvailabilityZones',
      effect: 'error',
      status: 503,
      message: 'slow down',
      count: 1,
    });
    const ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
      maxAttempts: 1,
    });
    const { DescribeAvailabilityZonesCommand } = await import('@aws-sdk/client-ec2');
    await assert.rejects(
      ec2.send(new DescribeAvailabilityZonesCommand({})),
      (e: any) => e.$metadata.httpStatusCode === 503 && /slow down/.test(e.message),
    );
    ec2.destroy();
    await control('POST', 'faults', {
      front: 'gce',
      operation: 'zones.list',
      effect: 'error',
      status: 503,
      message: 'backend sad',
      count: 1,
    });
    const token = await (
      await fetch(`${s.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: s.apiKey,
          client_secret: s.secretKey,
        }),
      })
    ).json();
    const r = await fetch(`${s.url}/compute/v1/projects/admin/zones`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    assert.equal(r.status, 503);
    const body = await r.json();
    assert.equal(body.error.code, 503);
    assert.equal(body.error.message, 'backend sad');
    assert.equal(body.error.errors[0].reason, 'backendError');
  });

  it('a rule that matches nothing is refused with the reason', async () => {
    const bad = async (rule: object, why: RegExp) => {
      const r = await control('POST', 'faults', { effect: 'error', ...rule });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(JSON.stringify(r.body), why);
    };
    await bad(
      { front: 'cloudstack', operation: 'listZonez' },
      /operation listZonez matches nothing: the cloudstack front serves no command/,
    );
    await bad({ front: 'ec2', operation: 'listZones' }, /operation listZones matches nothing: the ec2 front/);
    await bad({ operation: 'instances.explode' }, /operation instances\.explode matches nothing: no front/);
    await bad(
      { zoneId: '00000000-0000-4000-8000-000000000000' },
      /zoneId 00000000-0000-4000-8000-000000000000 matches nothing: no such zone/,
    );
    await bad({ accountId: 'nobody' }, /accountId nobody matches nothing: no such account/);
    assert.equal(
      (await control('POST', 'faults', { front: 'gce', operation: 'Instances.Insert', effect: 'error', count: 1 }))
        .status,
      201,
      'names match in any case',
    );
    await control('DELETE', 'faults');
  });

  it('refuses rules that cannot work and unknown ids, and clears', async () => {
    assert.equal((await control('POST', 'faults', { effect: 'explode' })).status, 400);
    assert.equal((await control('POST', 'faults', { effect: 'error', probability: 2 })).status, 400);
    assert.equal((await control('POST', 'faults', { front: 'azure', effect: 'error' })).status, 400);
    assert.equal((await control('DELETE', 'faults/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await control('DELETE', 'faults')).status, 204);
    assert.deepEqual((await control('GET', 'faults')).body.rules, []);
  });
});
